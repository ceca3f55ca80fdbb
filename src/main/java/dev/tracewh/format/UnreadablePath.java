package dev.tracewh.format;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/** A file or folder that discovery could not read (no permission, deleted while it was listed), and why. */
public record UnreadablePath(Path path, String reason)
{
    public UnreadablePath
    {
        requireNonNull(path, "path is null");
        requireNonNull(reason, "reason is null");
    }
}
