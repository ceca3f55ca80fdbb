package dev.tracewh.devtools;

import dev.tracewh.format.Formats;
import dev.tracewh.format.TraceFormat;

import java.util.Arrays;

/** The session formats the corpus generator can write, named by their {@code --format} ids. */
public enum CorpusFormat
{
    CLAUDE_CODE("claude_code"),
    CODEX("codex");

    private final String id;

    CorpusFormat(String id)
    {
        this.id = id;
    }

    public String id()
    {
        return id;
    }

    /** The project's parser for this format. */
    public TraceFormat traceFormat()
    {
        return Formats.byId(id).orElseThrow(() -> new IllegalStateException("no trace format " + id));
    }

    public static CorpusFormat fromId(String id)
    {
        return Arrays.stream(values())
                .filter(format -> format.id.equals(id))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown format '" + id + "' (expected claude_code or codex)"));
    }
}
