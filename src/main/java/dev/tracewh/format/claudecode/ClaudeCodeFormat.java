package dev.tracewh.format.claudecode;

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
import java.util.function.Consumer;

/**
 * Claude Code transcripts: {@code <config>/projects/<encoded-cwd>/<session>.jsonl}, sub-agents beside them as
 * {@code agent-<id>.jsonl} (2.0.x) or below {@code <session>/subagents/} (2.1.x).
 */
public final class ClaudeCodeFormat
        implements TraceFormat
{
    public static final String ID = "claude_code";

    private final ObjectMapper mapper = JsonLines.newMapper();

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public List<Path> defaultRoots(Environment environment)
    {
        return environment.folders("CLAUDE_CONFIG_DIR")
                .map(dirs -> dirs.stream().map(dir -> dir.resolve("projects")).toList())
                .orElseGet(() -> List.of(
                        environment.home().resolve(".claude/projects"),
                        environment.home().resolve(".config/claude/projects")));
    }

    @Override
    public List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException
    {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        return FileTree.find(root, ClaudeCodeFormat::isTranscript, unreadable);
    }

    /**
     * Transcripts are .jsonl files outside tool-results/ folders; history.jsonl, workflow journals and Codex
     * rollouts (rollout-*.jsonl, when a folder mixing both is loaded without --format) are not.
     */
    static boolean isTranscript(Path path)
    {
        String name = path.getFileName().toString();
        if (!name.endsWith(".jsonl") || name.equals("history.jsonl") || name.equals("journal.jsonl") || name.startsWith("rollout-")) {
            return false;
        }
        for (Path part : path) {
            if (part.toString().equals("tool-results")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Every Claude Code line names its session, its parent or, for a summary, its leaf; a snapshot names its message.
     * Qwen Code lines name them too but carry Gemini-style {@code message.parts} or a {@code systemPayload}.
     */
    @Override
    public boolean recognizes(Path file, FileHead head)
    {
        JsonNode line = head.firstLine();
        if (line.path("message").path("parts").isArray() || line.has("systemPayload")) {
            return false;
        }
        return line.has("sessionId") || line.has("parentUuid") || line.has("leafUuid") || "file-history-snapshot".equals(line.path("type").asText());
    }

    @Override
    public ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        return new TranscriptParser(file, mapper, SessionsIndex.forTranscript(file, mapper), options).parse(input);
    }

    /** Claude Code appends every event to its session's transcript and never rewrites one. */
    @Override
    public boolean appendOnly()
    {
        return true;
    }
}
