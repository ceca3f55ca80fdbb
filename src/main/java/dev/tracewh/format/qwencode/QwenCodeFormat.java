package dev.tracewh.format.qwencode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
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
import java.util.function.Consumer;

/**
 * Qwen Code chats: {@code <runtime dir>/projects/<sanitized cwd>/chats/<session>.jsonl} (archived ones below
 * {@code chats/archive/}), the runtime dir being {@code $QWEN_RUNTIME_DIR}, else {@code $QWEN_HOME}, else
 * {@code ~/.qwen}.
 */
public final class QwenCodeFormat
        implements TraceFormat
{
    public static final String ID = "qwen_code";

    private final ObjectMapper mapper = JsonLines.newMapper();
    private final ObjectReader firstValueReader = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public List<Path> defaultRoots(Environment environment)
    {
        Path runtime = environment.variable("QWEN_RUNTIME_DIR")
                .or(() -> environment.variable("QWEN_HOME"))
                .map(dir -> dir.equals("~") || dir.startsWith("~/") ? environment.home().resolve(dir.substring(Math.min(2, dir.length()))) : Path.of(dir))
                .orElseGet(() -> environment.home().resolve(".qwen"));
        return List.of(runtime.toAbsolutePath().resolve("projects"));
    }

    /** A file is read as it is; below a folder, the .jsonl files of {@code chats} folders and their {@code archive}. */
    @Override
    public List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException
    {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        return FileTree.find(root, QwenCodeFormat::isChat, unreadable).stream().sorted().toList();
    }

    static boolean isChat(Path path)
    {
        if (!path.getFileName().toString().endsWith(".jsonl") || path.getParent() == null) {
            return false;
        }
        Path folder = path.getParent();
        String name = folder.getFileName() == null ? "" : folder.getFileName().toString();
        Path above = folder.getParent();
        return name.equals("chats") || name.equals("archive") && above != null && above.getFileName() != null
                && above.getFileName().toString().equals("chats");
    }

    /**
     * A Qwen record has Claude Code's {@code uuid} and {@code sessionId} but Gemini's payloads: a {@code message} with
     * {@code parts}, a {@code systemPayload}, or the {@code tool_result} type, none of which Claude Code writes. The
     * first line may hold two records glued together, so the head's first object is read on its own.
     */
    @Override
    public boolean recognizes(Path file, FileHead head)
    {
        JsonNode first = head.firstLine().isObject() ? head.firstLine() : firstObject(head.text());
        return first != null && isQwenRecord(first);
    }

    public static boolean isQwenRecord(JsonNode line)
    {
        return line.has("uuid") && line.has("sessionId")
                && (line.path("message").path("parts").isArray() || line.path("systemPayload").isObject() || "tool_result".equals(line.path("type").asText()));
    }

    private JsonNode firstObject(String text)
    {
        try (JsonParser parser = mapper.getFactory().createParser(text)) {
            return parser.nextToken() == JsonToken.START_OBJECT ? firstValueReader.readTree(parser) : null;
        }
        catch (IOException notJsonOrCutShort) {
            return null;
        }
    }

    @Override
    public ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        return new QwenSessionParser(file, mapper, options).parse(input);
    }

    /** Qwen Code appends records (a rewind or a rewritten response appends too) and never rewrites a chat file. */
    @Override
    public boolean appendOnly()
    {
        return true;
    }
}
