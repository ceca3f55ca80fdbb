package dev.tracewh.format;

import dev.tracewh.model.ParsedFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

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

    /** The transcript files below {@code root} (or {@code root} itself when it is a transcript), sorted. */
    List<Path> discover(Path root)
            throws IOException;

    /**
     * Parses one file. Broken lines become {@link dev.tracewh.model.ParseIssue}s; only an I/O failure throws.
     * {@code input} holds the file's raw bytes (the format decompresses them itself if needed).
     */
    ParsedFile parse(Path file, InputStream input)
            throws IOException;
}
