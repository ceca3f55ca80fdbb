package dev.tracewh.model;

import java.util.List;

/**
 * What one source file yielded: its traces (none for a file with no conversation), the lines it could not
 * read, and how many bytes were consumed. {@code consumedBytes} stops before a final line that is still being
 * written, so the next load reads it again. {@code replacedCharacters} counts the characters no warehouse can
 * store (U+0000, lone surrogates) that were replaced by U+FFFD. {@code checkpointSha256} is the hash of the
 * file's first {@code ReadOptions.checkpointBytes}, or null when the parse consumed fewer bytes (or none were asked).
 * {@code cursor} is where the next load of the file may resume ({@code ReadOptions.resumeCursor}), opaque to the
 * loader; null for a format that reads its files whole each time.
 */
public record ParsedFile(List<Trace> traces, List<ParseIssue> issues, long consumedBytes, String consumedSha256, String checkpointSha256,
                         long replacedCharacters, String cursor)
{
    public ParsedFile
    {
        traces = List.copyOf(traces);
        issues = List.copyOf(issues);
    }

    /** A file read whole, with no cursor to resume from. */
    public ParsedFile(List<Trace> traces, List<ParseIssue> issues, long consumedBytes, String consumedSha256, String checkpointSha256,
                      long replacedCharacters)
    {
        this(traces, issues, consumedBytes, consumedSha256, checkpointSha256, replacedCharacters, null);
    }
}
