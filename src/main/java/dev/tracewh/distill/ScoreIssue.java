package dev.tracewh.distill;

import static java.util.Objects.requireNonNull;

/** A score that was not stored, and why; {@code position} is the file's line number or the judge's row number. */
public record ScoreIssue(long position, String message)
{
    public ScoreIssue
    {
        requireNonNull(message, "message is null");
    }
}
