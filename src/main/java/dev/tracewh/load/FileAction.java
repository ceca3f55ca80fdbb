package dev.tracewh.load;

import java.util.Locale;

/** What a load does with a file, decided from its size and mtime against the last load. */
public enum FileAction
{
    /** Never loaded. */
    NEW,
    /** Larger than at the last load: sessions grow by appending. */
    GROWN,
    /** Same or smaller size with another mtime: rewritten, re-read in full. */
    CHANGED,
    /** Same size and mtime: not read at all. */
    UNCHANGED,
    /** Known to the warehouse but gone from disk: its rows stay. */
    MISSING;

    public String wireName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean reads()
    {
        return this == NEW || this == GROWN || this == CHANGED;
    }
}
