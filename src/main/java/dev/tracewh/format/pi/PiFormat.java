package dev.tracewh.format.pi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.FileTree;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.format.UnreadablePath;
import dev.tracewh.model.ParsedFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Pi coding agent: {@code $PI_CODING_AGENT_DIR/sessions/--<cwd>--/<timestamp>_<uuid>.jsonl}, the agent
 * directory being {@code ~/.pi/agent} unless overridden.
 */
public final class PiFormat
        implements TraceFormat
{
    public static final String ID = "pi_coding_agent";

    private final ObjectMapper mapper = JsonLines.newMapper();

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public List<Path> defaultRoots(Environment environment)
    {
        Path agentDir = environment.variable("PI_CODING_AGENT_DIR")
                .map(Path::of)
                .orElseGet(() -> environment.home().resolve(".pi").resolve("agent"));
        return List.of(agentDir.resolve("sessions"));
    }

    @Override
    public List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException
    {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        return FileTree.find(root, path -> path.getFileName().toString().endsWith(".jsonl"), unreadable).stream().sorted().toList();
    }

    /** A Pi session file starts with its header, {@code {"type":"session", ...}}. */
    @Override
    public boolean recognizes(Path file, FileHead head)
    {
        return isSessionHeader(head.firstLine());
    }

    public static boolean isSessionHeader(JsonNode line)
    {
        return "session".equals(line.path("type").asText()) && line.has("id");
    }

    @Override
    public ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        return new PiSessionParser(file, ID, Map.of(), mapper, options).parse(input);
    }

    /** Pi rewrites a v1 or v2 file whole as v3 when it opens it again. */
    @Override
    public boolean appendOnly()
    {
        return false;
    }
}
