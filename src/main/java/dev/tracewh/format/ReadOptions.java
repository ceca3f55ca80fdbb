package dev.tracewh.format;

import dev.tracewh.jsonl.JsonlReader;

/**
 * How a format reads one file.
 *
 * @param maxLineBytes the longest line parsed; a longer one is an issue on its line, and the rest of the file loads
 * @param checkpointBytes the length of the prefix an earlier load consumed, whose hash the parse reports in
 *         {@link dev.tracewh.model.ParsedFile#checkpointSha256()}; 0 for a file never loaded
 */
public record ReadOptions(long maxLineBytes, long checkpointBytes)
{
    public static final ReadOptions DEFAULT = new ReadOptions(JsonlReader.DEFAULT_MAX_LINE_BYTES, 0);

    public ReadOptions
    {
        if (maxLineBytes < 1 || checkpointBytes < 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive and checkpointBytes not negative: " + maxLineBytes + ", " + checkpointBytes);
        }
    }

    public ReadOptions withCheckpoint(long bytes)
    {
        return new ReadOptions(maxLineBytes, bytes);
    }
}
