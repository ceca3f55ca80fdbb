package dev.tracewh.format.copilot;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * GitHub Copilot CLI: one event log per session, {@code <home>/session-state/<id>/events.jsonl} (1.0 on) or
 * {@code <home>/session-state/<id>.jsonl} (0.0.x), the home being {@code $COPILOT_CONFIG_DIR}, else
 * {@code $COPILOT_HOME}, else {@code ~/.copilot}. Per-request token usage is only in the home's
 * {@code session-store.db}, read beside each log.
 * <p>
 * The store is no {@link #companions companion} of the logs: it is shared by every session and written on every model
 * request of any of them, so as a companion one write would make every log count as changed and be read again on
 * every load. A session's own log grows with each of its requests (the {@code assistant.message} answering it, the
 * {@code session.shutdown} at the end) and is then read whole, its store rows with it; a row committed after the log's
 * last write is read by the next load that finds the log changed, or by {@code --full-refresh}.
 */
public final class CopilotFormat
        implements TraceFormat
{
    public static final String ID = "copilot_cli";
    static final String SESSION_STATE = "session-state";
    static final String EVENTS = "events.jsonl";

    /** An event type is dotted lower-case words: {@code session.start}, {@code tool.execution_complete}. */
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z_]+(\\.[a-z_]+)+");
    /** The CLI writes {@code type} first; a log outside a session-state folder starts with its session's start or a resume. */
    private static final Pattern LOG_START = Pattern.compile("\\A\\s*\\{\\s*\"type\"\\s*:\\s*\"session\\.(start|resume)\"");
    private static final int LOG_START_BYTES = 256;

    private final ObjectMapper mapper = JsonLines.newMapper();

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public List<Path> defaultRoots(Environment environment)
    {
        Path home = environment.variable("COPILOT_CONFIG_DIR")
                .or(() -> environment.variable("COPILOT_HOME"))
                .map(Path::of)
                .orElseGet(() -> environment.home().resolve(".copilot"));
        return List.of(home.toAbsolutePath().resolve(SESSION_STATE));
    }

    /**
     * A file is read as it is. Below a folder: the logs of the session-state layouts, and any other {@code .jsonl} file
     * that starts with a session's start or resume event (fixtures, copies), so other agents' files are left alone.
     */
    @Override
    public List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException
    {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        return FileTree.find(root, path -> path.getFileName().toString().endsWith(".jsonl") && (inSessionState(path) || startsLikeALog(path)), unreadable);
    }

    /** {@code session-state/<id>.jsonl} or {@code session-state/<id>/events.jsonl}. */
    static boolean inSessionState(Path path)
    {
        Path folder = path.toAbsolutePath().getParent();
        if (folder == null) {
            return false;
        }
        if (isNamed(folder, SESSION_STATE)) {
            return true;
        }
        return path.getFileName().toString().equals(EVENTS) && folder.getParent() != null && isNamed(folder.getParent(), SESSION_STATE);
    }

    private static boolean isNamed(Path folder, String name)
    {
        return folder.getFileName() != null && folder.getFileName().toString().equals(name);
    }

    private static boolean startsLikeALog(Path path)
    {
        try (InputStream input = Files.newInputStream(path)) {
            return LOG_START.matcher(new String(input.readNBytes(LOG_START_BYTES), StandardCharsets.UTF_8)).find();
        }
        catch (IOException unreadable) {
            // the file is not claimed; a format that found it too reports it
            return false;
        }
    }

    /**
     * A Copilot event: a dotted {@code type} beside a {@code data} object, an {@code id} and a {@code timestamp}. No
     * other format's first line has a {@code data} object under a dotted type (Claude Code's types are words, Codex
     * keeps its payload in {@code payload}, Pi's header is {@code session}).
     */
    @Override
    public boolean recognizes(Path file, FileHead head)
    {
        return isEvent(head.firstLine());
    }

    static boolean isEvent(JsonNode line)
    {
        return line.path("type").isTextual() && EVENT_TYPE.matcher(line.path("type").textValue()).matches() && line.path("data").isObject()
                && line.has("id") && line.has("timestamp");
    }

    @Override
    public ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        return new CopilotSessionParser(file, mapper, options, SessionStore.near(file), Workspace.of(file)).parse(input);
    }

    /** The CLI appends events; a resumed session appends a new leg to the same file. */
    @Override
    public boolean appendOnly()
    {
        return true;
    }
}
