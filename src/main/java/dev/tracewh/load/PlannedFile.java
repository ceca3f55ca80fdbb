package dev.tracewh.load;

import dev.tracewh.format.TraceFormat;

import java.nio.file.Path;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** One file and what the load will do with it. {@code format} is null for a missing file. */
public record PlannedFile(Path path, TraceFormat format, String sourceKind, FileAction action, long sizeBytes, Instant modifiedAt)
{
    public PlannedFile
    {
        requireNonNull(path, "path is null");
        requireNonNull(sourceKind, "sourceKind is null");
        requireNonNull(action, "action is null");
    }
}
