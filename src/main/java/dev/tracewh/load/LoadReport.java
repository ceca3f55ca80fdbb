package dev.tracewh.load;

import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.WriteCounts;

import java.util.List;

/** The outcome of one load; {@code runId} is null for a dry run, which writes nothing. */
public record LoadReport(
        Long runId,
        LoadRunStore.Status status,
        List<PlannedFile> plan,
        LoadRunStore.FileCounts files,
        WriteCounts rows,
        long traces,
        long messages,
        long toolCalls,
        long tokens,
        double seconds)
{
    public LoadReport
    {
        plan = List.copyOf(plan);
    }

    public double megabytesPerSecond()
    {
        return seconds <= 0 ? 0 : files.bytesRead() / 1_000_000.0 / seconds;
    }
}
