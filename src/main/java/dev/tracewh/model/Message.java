package dev.tracewh.model;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One chat message of a trace, in order ({@code ordinal} from 0). Besides the contract fields
 * ({@code role, content, reasoningContent, toolCallId}; the assistant's tool calls are {@link ToolCall}s
 * pointing at this ordinal) it keeps what the source knew about the line(s) it came from, and its {@code branch}
 * in the conversation: 0 on the active path (the conversation as it ended), from 1 on a branch a rewind abandoned.
 */
public record Message(
        int ordinal,
        Role role,
        List<ContentBlock> content,
        String reasoningContent,
        String toolCallId,
        long lineNumber,
        String lineUuid,
        String parentUuid,
        Instant createdAt,
        String model,
        String apiMessageId,
        String requestId,
        boolean isMeta,
        boolean isCompactSummary,
        boolean isSidechain,
        boolean isSynthetic,
        int branch)
{
    public Message
    {
        requireNonNull(role, "role is null");
        content = List.copyOf(content);
    }

    /** This message with other content and reasoning (redacted text, say). */
    public Message withText(List<ContentBlock> content, String reasoningContent)
    {
        return new Message(ordinal, role, content, reasoningContent, toolCallId, lineNumber, lineUuid, parentUuid, createdAt, model, apiMessageId,
                requestId, isMeta, isCompactSummary, isSidechain, isSynthetic, branch);
    }

    /** Whether the message is on the conversation's active path rather than on a branch a rewind abandoned. */
    public boolean isActivePath()
    {
        return branch == 0;
    }

    /** The text blocks joined by a blank line, or null when there is no text. */
    public String text()
    {
        List<String> texts = content.stream().filter(ContentBlock::isText).map(ContentBlock::text).toList();
        if (texts.size() == 1) {
            // the block's own string: a large tool output is then held once, not once per use
            return texts.getFirst();
        }
        return texts.isEmpty() ? null : String.join("\n\n", texts);
    }
}
