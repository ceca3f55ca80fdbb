package dev.tracewh.format;

import dev.tracewh.model.ParsedFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One agent's on-disk session format: where its files live, which files are transcripts, and how one file
 * becomes normalized traces. A format knows nothing of the warehouse.
 */
public interface TraceFormat
{
    /** The {@code source_kind} of its traces and the value of {@code --format}: "claude_code", "codex". */
    String id();

    /** Where the agent keeps its sessions on this machine, given the environment (first existing ones win). */
    List<Path> defaultRoots(Environment environment);

    /**
     * The transcript files below {@code root} (or {@code root} itself when it is a transcript), sorted. Folders and
     * files that cannot be read go to {@code unreadable}, and discovery goes on without them.
     */
    List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException;

    /** The transcript files below {@code root}; fails on the first path that cannot be read. */
    default List<Path> discover(Path root)
            throws IOException
    {
        List<UnreadablePath> unreadable = new ArrayList<>();
        List<Path> files = discover(root, unreadable::add);
        if (!unreadable.isEmpty()) {
            throw new IOException("cannot read " + unreadable.getFirst().path() + ": " + unreadable.getFirst().reason());
        }
        return files;
    }

    /**
     * True when {@code head} looks like this format's file. Asked only when several formats found the same file (a
     * {@code --path} without {@code --format}); the first format in {@link Formats} order that recognizes it keeps
     * it, and when none does, the first that found it reads it and reports what is wrong.
     */
    boolean recognizes(Path file, FileHead head);

    /**
     * Parses one file. Broken lines become {@link dev.tracewh.model.ParseIssue}s; only an I/O failure throws.
     * {@code input} holds the file's raw bytes (the format decompresses them itself if needed).
     */
    ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException;

    /**
     * Files beside {@code file} whose changes change what it yields though {@code file} itself does not change: a
     * SQLite database in WAL mode commits to its {@code -wal} file until a checkpoint. The load folds their sizes and
     * modification times into the file's, so a write to them is noticed. None by default.
     */
    default List<Path> companions(Path file)
    {
        return List.of();
    }

    /**
     * True when a stored session that a rewritten file no longer yields lives on (its file moved on to a continuation
     * of it, say): the load then keeps its rows rather than deleting them. False by default: the rows follow the file.
     */
    default boolean keepsDroppedSessions()
    {
        return false;
    }

    /**
     * True when {@code file} now holds the sessions that {@code owner}, another existing file of this format, was
     * loaded from, so a session may move to it (the agent began keeping the session in a richer artifact). False by
     * default: a session stays with the file that first held it while that file exists.
     */
    default boolean supersedes(Path file, Path owner)
    {
        return false;
    }

    /**
     * True when the agent only ever appends to a session file, so a file that no longer starts with what an
     * earlier load read was damaged (truncated, zeroed, restored from an old backup), not legitimately rewritten:
     * the load then keeps the stored sessions and reports the file. A format whose files are rewritten whole
     * (a snapshot of the session on every save) returns false, and its stored rows follow the file.
     */
    boolean appendOnly();
}
