package dev.tracewh.model;

import static java.util.Objects.requireNonNull;

/**
 * A line (or file, when {@code lineNumber} is 0) that could not be read. Issues are data: the parser records
 * them and goes on with the next line.
 */
public record ParseIssue(long lineNumber, String errorClass, String message, String excerpt)
{
    public static final int EXCERPT_CHARS = 200;

    public ParseIssue
    {
        requireNonNull(errorClass, "errorClass is null");
        requireNonNull(message, "message is null");
    }
}
