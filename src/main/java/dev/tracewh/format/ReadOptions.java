package dev.tracewh.format;

import dev.tracewh.jsonl.JsonlReader;
import dev.tracewh.model.ParseIssue;

import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * How a format reads one file.
 *
 * @param maxLineBytes the longest line parsed; a longer one is an issue on its line, and the rest of the file loads
 * @param checkpointBytes the length of the prefix an earlier load consumed, whose hash the parse reports in
 *         {@link dev.tracewh.model.ParsedFile#checkpointSha256()}; 0 for a file never loaded
 * @param excerpt makes the stored excerpt of a line that could not be read from the line's first
 *         {@link ParseIssue#EXCERPT_WINDOW_CHARS} characters (the loader redacts secrets in them before cutting)
 * @param resumeCursor what the format returned as {@link dev.tracewh.model.ParsedFile#cursor()} on the last load of
 *         this file, opaque to the loader; null on a first load, a full refresh, or when the stored rows must all be
 *         written again. A format may then yield only the sessions that changed since
 */
public record ReadOptions(long maxLineBytes, long checkpointBytes, UnaryOperator<String> excerpt, String resumeCursor)
{
    public static final ReadOptions DEFAULT = new ReadOptions(JsonlReader.DEFAULT_MAX_LINE_BYTES, 0);

    /** Excerpts are the line's first {@link ParseIssue#EXCERPT_CHARS} characters. */
    public ReadOptions(long maxLineBytes, long checkpointBytes)
    {
        this(maxLineBytes, checkpointBytes, ParseIssue::cut);
    }

    public ReadOptions(long maxLineBytes, long checkpointBytes, UnaryOperator<String> excerpt)
    {
        this(maxLineBytes, checkpointBytes, excerpt, null);
    }

    public ReadOptions
    {
        requireNonNull(excerpt, "excerpt is null");
        if (maxLineBytes < 1 || checkpointBytes < 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive and checkpointBytes not negative: " + maxLineBytes + ", " + checkpointBytes);
        }
    }

    public ReadOptions withCheckpoint(long bytes)
    {
        return new ReadOptions(maxLineBytes, bytes, excerpt, resumeCursor);
    }

    public ReadOptions withResumeCursor(String cursor)
    {
        return new ReadOptions(maxLineBytes, checkpointBytes, excerpt, cursor);
    }
}
