package dev.tracewh.distill;

import static java.util.Objects.requireNonNull;

/** One written SFT file: its {@code exports} row, what it holds, and how many selected traces had nothing to train on. */
public record SftExport(long exportId, int traceCount, long messageCount, String sha256, int skippedTraces)
{
    public SftExport
    {
        requireNonNull(sha256, "sha256 is null");
    }
}
