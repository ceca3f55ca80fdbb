package dev.tracewh.distill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small Claude Code transcript for tests, line by line. Every assistant response reports the same usage
 * ({@link #TOKENS_PER_RESPONSE} tokens), so token sums are easy to predict. Each line's {@code parentUuid} is the
 * line before it, as Claude Code writes them, unless {@link #rewindBefore} moved the conversation back.
 */
final class ClaudeSession
{
    static final long TOKENS_PER_RESPONSE = 10 + 1 + 100 + 5;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String sessionId;
    private final String agentId;
    private final List<String> lines = new ArrayList<>();
    /** The parent of each user prompt, by its text, for {@link #rewindBefore}. */
    private final Map<String, String> parentOfPrompt = new HashMap<>();
    private String parentUuid;
    private Instant clock = Instant.parse("2025-07-01T10:00:00Z");
    private int counter;

    private ClaudeSession(String sessionId, String agentId)
    {
        this.sessionId = sessionId;
        this.agentId = agentId;
    }

    static ClaudeSession session(String sessionId)
    {
        return new ClaudeSession(sessionId, null);
    }

    /** A sub-agent transcript of {@code sessionId}; its trace id is {@code sessionId:agentId}. */
    static ClaudeSession subagent(String sessionId, String agentId)
    {
        return new ClaudeSession(sessionId, agentId);
    }

    ClaudeSession user(String text)
    {
        parentOfPrompt.putIfAbsent(text, parentUuid);
        ObjectNode line = line("user");
        line.putObject("message").put("role", "user").put("content", text);
        return add(line);
    }

    /**
     * A rewind to before the prompt {@code text}: the next line continues from that prompt's parent, so the lines
     * since the prompt stay in the file on an abandoned branch.
     */
    ClaudeSession rewindBefore(String text)
    {
        if (!parentOfPrompt.containsKey(text)) {
            throw new IllegalArgumentException("no prompt " + text);
        }
        parentUuid = parentOfPrompt.get(text);
        return this;
    }

    ClaudeSession meta(String text)
    {
        ObjectNode line = line("user").put("isMeta", true);
        line.putObject("message").put("role", "user").put("content", text);
        return add(line);
    }

    ClaudeSession compactSummary(String text)
    {
        ObjectNode line = line("user").put("isCompactSummary", true);
        line.putObject("message").put("role", "user").put("content", text);
        return add(line);
    }

    /** An assistant response with optional reasoning, text and tool calls ({@code toolCalls}: id, name, id, name, ...). */
    ClaudeSession assistant(String thinking, String text, String... toolCalls)
    {
        ObjectNode line = line("assistant").put("requestId", "req_" + sessionId + "_" + counter);
        ObjectNode message = line.putObject("message")
                .put("id", "msg_" + sessionId + "_" + counter)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", "claude-sonnet-4-5");
        ArrayNode content = message.putArray("content");
        if (thinking != null) {
            content.addObject().put("type", "thinking").put("thinking", thinking);
        }
        if (text != null) {
            content.addObject().put("type", "text").put("text", text);
        }
        for (int i = 0; i < toolCalls.length; i += 2) {
            ObjectNode toolUse = content.addObject().put("type", "tool_use").put("id", toolCalls[i]).put("name", toolCalls[i + 1]);
            toolUse.putObject("input").put("argument", "value " + toolCalls[i]);
        }
        message.putObject("usage")
                .put("input_tokens", 10)
                .put("output_tokens", 1)
                .put("cache_read_input_tokens", 100)
                .put("cache_creation_input_tokens", 5);
        return add(line);
    }

    /** A client-side notice such as an API error (model {@code <synthetic>}). */
    ClaudeSession synthetic(String text)
    {
        ObjectNode line = line("assistant");
        ObjectNode message = line.putObject("message")
                .put("id", "synthetic_" + counter)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", "<synthetic>");
        message.putArray("content").addObject().put("type", "text").put("text", text);
        return add(line);
    }

    ClaudeSession toolResult(String toolUseId, String text, boolean isError)
    {
        ObjectNode line = line("user");
        ObjectNode result = line.putObject("message").put("role", "user").putArray("content").addObject()
                .put("type", "tool_result")
                .put("tool_use_id", toolUseId)
                .put("content", text);
        if (isError) {
            result.put("is_error", true);
        }
        return add(line);
    }

    void writeTo(Path projects)
            throws IOException
    {
        Path folder = projects.resolve("-home-dev-project");
        Path file = agentId == null
                ? folder.resolve(sessionId + ".jsonl")
                : folder.resolve(sessionId).resolve("subagents").resolve("agent-" + agentId + ".jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    private ObjectNode line(String type)
    {
        counter++;
        clock = clock.plusSeconds(1);
        ObjectNode line = MAPPER.createObjectNode()
                .put("type", type)
                .put("uuid", sessionId + "-" + (agentId == null ? "" : agentId + "-") + counter)
                .put("parentUuid", parentUuid)
                .put("sessionId", sessionId)
                .put("timestamp", clock.toString())
                .put("cwd", "/home/dev/project")
                .put("gitBranch", "main")
                .put("version", "2.1.42")
                .put("isSidechain", agentId != null);
        if (agentId != null) {
            line.put("agentId", agentId);
        }
        return line;
    }

    private ClaudeSession add(ObjectNode line)
    {
        parentUuid = line.get("uuid").asText();
        lines.add(line.toString());
        return this;
    }
}
