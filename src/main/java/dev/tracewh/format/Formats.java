package dev.tracewh.format;

import dev.tracewh.format.amp.AmpFormat;
import dev.tracewh.format.atif.AtifFormat;
import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.format.codex.CodexFormat;
import dev.tracewh.format.copilot.CopilotFormat;
import dev.tracewh.format.geminicli.GeminiFormat;
import dev.tracewh.format.hermes.HermesFormat;
import dev.tracewh.format.openclaw.OpenClawFormat;
import dev.tracewh.format.opencode.OpenCodeFormat;
import dev.tracewh.format.pi.PiFormat;
import dev.tracewh.format.qwencode.QwenCodeFormat;

import java.util.List;
import java.util.Optional;

/**
 * The formats tracewh knows, in the order {@code load} without {@code --format} tries them. OpenClaw comes before Pi:
 * its files are Pi files, recognized as OpenClaw's by the folder they are in. Copilot CLI comes before ATIF, whose
 * test (a {@code "steps"} key in the head) a Copilot log's tool arguments can pass. OpenCode comes before Hermes: both
 * read SQLite databases, and OpenCode's knows its own by name.
 */
public final class Formats
{
    private static final List<TraceFormat> ALL = List.of(new ClaudeCodeFormat(), new CodexFormat(), new OpenClawFormat(), new PiFormat(),
            new CopilotFormat(), new AtifFormat(), new OpenCodeFormat(), new HermesFormat(), new GeminiFormat(), new QwenCodeFormat(), new AmpFormat());

    private Formats() {}

    public static List<TraceFormat> all()
    {
        return ALL;
    }

    public static Optional<TraceFormat> byId(String id)
    {
        return ALL.stream().filter(format -> format.id().equals(id)).findFirst();
    }

    public static List<String> ids()
    {
        return ALL.stream().map(TraceFormat::id).toList();
    }
}
