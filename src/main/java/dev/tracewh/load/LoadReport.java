package dev.tracewh.load;

import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.WriteCounts;

import java.util.List;

/**
 * The outcome of one load. {@code replacedCharacters} counts U+0000 and lone surrogates replaced by U+FFFD;
 * {@code warnings} are what went wrong without costing the load any data (a statistics refresh that failed);
 * {@code unpricedModels} are the model names this load saw first that no price matches.
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
        double seconds,
        List<String> warnings,
        List<String> unpricedModels)
{
    public LoadReport
    {
        warnings = List.copyOf(warnings);
        unpricedModels = List.copyOf(unpricedModels);
    }

    public double megabytesPerSecond()
    {
        return seconds <= 0 ? 0 : files.bytesRead() / 1_000_000.0 / seconds;
    }
}
