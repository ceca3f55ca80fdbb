package dev.tracewh.load;

import dev.tracewh.format.TraceFormat;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** A folder (or single file) to load with one format. */
public record SourceRoot(TraceFormat format, Path root)
{
    public SourceRoot
    {
        requireNonNull(format, "format is null");
        root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }
}
