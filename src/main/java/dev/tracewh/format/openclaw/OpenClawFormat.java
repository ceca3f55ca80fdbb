package dev.tracewh.format.openclaw;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.FileTree;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.format.UnreadablePath;
import dev.tracewh.format.pi.PiFormat;
import dev.tracewh.format.pi.PiSessionParser;
import dev.tracewh.model.ParsedFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * OpenClaw (formerly Clawdbot, Moltbot): Pi v3 transcripts in {@code <root>/agents/<agentId>/sessions/}, under
 * {@code ~/.openclaw} and the older {@code ~/.clawdbot}, {@code ~/.moltbot}, {@code ~/.moldbot}
 * ({@code OPENCLAW_DIR}, a comma-separated list, overrides them). A reset or deleted session keeps its file as
 * {@code <id>.jsonl.reset.<ts>} or {@code <id>.jsonl.deleted.<ts>}; {@code *.jsonl.full.bak} backups are copies
 * and are not read.
 */
public final class OpenClawFormat
        implements TraceFormat
{
    public static final String ID = "openclaw";

    private static final List<String> LEGACY_DIRS = List.of(".openclaw", ".clawdbot", ".moltbot", ".moldbot");

    private final ObjectMapper mapper = JsonLines.newMapper();

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public List<Path> defaultRoots(Environment environment)
    {
        List<Path> bases = environment.folders("OPENCLAW_DIR")
                .orElseGet(() -> LEGACY_DIRS.stream().map(environment.home()::resolve).toList());
        return bases.stream().map(base -> base.resolve("agents")).toList();
    }

    @Override
    public List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException
    {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        return FileTree.find(root, OpenClawFormat::isTranscript, unreadable).stream().sorted().toList();
    }

    static boolean isTranscript(Path path)
    {
        String name = path.getFileName().toString();
        return name.endsWith(".jsonl") || name.contains(".jsonl.reset.") || name.contains(".jsonl.deleted.");
    }

    /** A Pi session file in OpenClaw's folder layout, or under one of its archive names. */
    @Override
    public boolean recognizes(Path file, FileHead head)
    {
        String name = file.getFileName().toString();
        return PiFormat.isSessionHeader(head.firstLine()) && (agentId(file).isPresent() || !name.endsWith(".jsonl"));
    }

    @Override
    public ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        return new PiSessionParser(file, ID, agentId(file).map(id -> Map.of("openclaw_agent_id", id)).orElse(Map.of()), mapper, options)
                .parse(input);
    }

    /** The agent (a persona, not a sub-agent) whose {@code agents/<agentId>/sessions/} folder holds the file. */
    static Optional<String> agentId(Path file)
    {
        Path sessions = file.toAbsolutePath().getParent();
        Path agent = sessions == null ? null : sessions.getParent();
        if (agent == null || agent.getParent() == null || !sessions.getFileName().toString().equals("sessions")
                || !agent.getParent().getFileName().toString().equals("agents")) {
            return Optional.empty();
        }
        return Optional.of(agent.getFileName().toString());
    }

    /** OpenClaw embeds Pi, which rewrites old-version files whole. */
    @Override
    public boolean appendOnly()
    {
        return false;
    }
}
