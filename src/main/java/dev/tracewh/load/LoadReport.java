package dev.tracewh.load;

import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.WriteCounts;


/**
 * The outcome of one load. {@code replacedCharacters} counts U+0000 and lone surrogates replaced by U+FFFD.
 */
public record LoadReport(
        Long runId,
        LoadRunStore.Status status,
        LoadRunStore.FileCounts files,
        WriteCounts rows,
        long traces,
        long messages,
        long toolCalls,
        long tokens,
        long replacedCharacters,
        double seconds)
{
    public double megabytesPerSecond()
    {
        return seconds <= 0 ? 0 : files.bytesRead() / 1_000_000.0 / seconds;
    }
}
