package dev.tracewh.model;

import static java.util.Objects.requireNonNull;

/**
 * A line (or file, when {@code lineNumber} is 0) that could not be read. Issues are data: the parser records
 * them and goes on with the next line.
 */
public record ParseIssue(long lineNumber, String errorClass, String message, String excerpt)
{
    public static final int EXCERPT_CHARS = 200;
    /** The part of a line an excerpt is made from: long enough that a secret near its start (a private key) is whole. */
    public static final int EXCERPT_WINDOW_CHARS = 8192;

    public ParseIssue
    {
        requireNonNull(errorClass, "errorClass is null");
        requireNonNull(message, "message is null");
    }

    /** The first {@link #EXCERPT_CHARS} characters of {@code text}. */
    public static String cut(String text)
    {
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS);
    }
}
