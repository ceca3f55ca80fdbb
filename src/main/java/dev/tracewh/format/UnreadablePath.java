package dev.tracewh.format;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
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

    /** {@code path} with why reading it failed: "permission denied" rather than the bare path many IOExceptions hold. */
    public static UnreadablePath of(Path path, IOException failure)
    {
        String kind = switch (failure) {
            case AccessDeniedException denied -> "permission denied";
            case NoSuchFileException gone -> "deleted while the load looked at it";
            default -> failure.getClass().getSimpleName();
        };
        String reason = failure instanceof FileSystemException system ? system.getReason() : failure.getMessage();
        return new UnreadablePath(path, reason == null ? kind : kind + ": " + reason);
    }
}
