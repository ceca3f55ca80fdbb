package dev.tracewh.load;

import dev.tracewh.format.TraceFormat;
import dev.tracewh.warehouse.SourceFileStore;

import java.nio.file.Path;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * One file and what the load will do with it. {@code format} is null for a missing file; {@code previous} is its
 * state as of its last load, null for a new file.
 */
public record PlannedFile(Path path, TraceFormat format, String sourceKind, FileAction action, long sizeBytes, Instant modifiedAt,
                          SourceFileStore.State previous)
{
    public PlannedFile
    {
        requireNonNull(path, "path is null");
        requireNonNull(sourceKind, "sourceKind is null");
        requireNonNull(action, "action is null");
    }
}
