package dev.tracewh.model;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * One normalized trace (one transcript file), in NVIDIA Data Designer's agent-rollout shape plus what it
 * throws away: tool results, token usage per response, titles, versions and models.
 * {@code sourceMeta} holds format-specific facts as JSON-compatible values (strings, numbers, booleans,
 * lists and maps of them).
 */
public record Trace(
        String traceId,
        String sourceKind,
        String sourcePath,
        String rootSessionId,
        String agentId,
        boolean isSidechain,
        String cwd,
        String projectPath,
        String gitBranch,
        Instant startedAt,
        Instant endedAt,
        List<Message> messages,
        List<ToolCall> toolCalls,
        List<TokenUsage> tokenUsage,
        SortedMap<String, Object> sourceMeta,
        String title,
        String summary,
        List<String> toolVersions,
        List<String> models)
{
    public Trace
    {
        requireNonNull(traceId, "traceId is null");
        requireNonNull(sourceKind, "sourceKind is null");
        requireNonNull(sourcePath, "sourcePath is null");
        requireNonNull(rootSessionId, "rootSessionId is null");
        messages = List.copyOf(messages);
        toolCalls = List.copyOf(toolCalls);
        tokenUsage = List.copyOf(tokenUsage);
        sourceMeta = new TreeMap<>(sourceMeta);
        toolVersions = List.copyOf(toolVersions);
        models = List.copyOf(models);
    }

    /** This trace with other text in its messages, tool calls, source facts, title and summary (redacted text, say). */
    public Trace withText(List<Message> messages, List<ToolCall> toolCalls, SortedMap<String, Object> sourceMeta, String title, String summary)
    {
        return new Trace(traceId, sourceKind, sourcePath, rootSessionId, agentId, isSidechain, cwd, projectPath, gitBranch, startedAt, endedAt,
                messages, toolCalls, tokenUsage, sourceMeta, title, summary, toolVersions, models);
    }

    /** All messages, those on abandoned branches included. */
    public int messageCount()
    {
        return messages.size();
    }

    /** The messages of the conversation as it ended: the contract's {@code message_count}. */
    public int activePathMessageCount()
    {
        return (int) messages.stream().filter(Message::isActivePath).count();
    }

    public int toolCallCount()
    {
        return toolCalls.size();
    }

    /** Text of the active path's last assistant message that has text (all its text blocks), skipping client-side synthetic notices. */
    public String finalAssistantMessage()
    {
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message message = messages.get(i);
            if (message.role() == Role.ASSISTANT && message.isActivePath() && !message.isSynthetic()) {
                String text = joinedText(message);
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }

    /** Data Designer's rule, the message's text blocks joined by a blank line, leaving out blocks of whitespace only. */
    private static String joinedText(Message message)
    {
        String joined = message.content().stream()
                .filter(block -> block.isText() && !block.text().isBlank())
                .map(ContentBlock::text)
                .collect(Collectors.joining("\n\n"));
        return joined.isEmpty() ? null : joined;
    }
}
