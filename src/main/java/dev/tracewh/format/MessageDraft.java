package dev.tracewh.format;

import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.Message;
import dev.tracewh.model.Role;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A message still being assembled: an assistant response that spans several lines grows block by block.
 * Parsers fill the public fields they know; {@link #build(int)} freezes it.
 */
public final class MessageDraft
{
    public final Role role;
    public final List<ContentBlock> content = new ArrayList<>();
    private final StringBuilder reasoning = new StringBuilder();
    public String toolCallId;
    public long lineNumber;
    public String lineUuid;
    public String parentUuid;
    public Instant createdAt;
    public String model;
    public String apiMessageId;
    public String requestId;
    public boolean isMeta;
    public boolean isCompactSummary;
    public boolean isSidechain;
    public boolean isSynthetic;
    /** 0 on the active path (formats without branches leave it so). */
    public int branch;
    /** Tool calls this (assistant) message made so far. */
    public int toolCallCount;

    public MessageDraft(Role role)
    {
        this.role = requireNonNull(role, "role is null");
    }

    /** Appends reasoning text; pieces from several lines or items are separated by a blank line. */
    public void addReasoning(String text)
    {
        if (text == null || text.isEmpty()) {
            return;
        }
        if (!reasoning.isEmpty()) {
            reasoning.append("\n\n");
        }
        reasoning.append(text);
    }

    public boolean hasReasoning()
    {
        return !reasoning.isEmpty();
    }

    public Message build(int ordinal)
    {
        return new Message(ordinal, role, content, reasoning.isEmpty() ? null : reasoning.toString(), toolCallId,
                lineNumber, lineUuid, parentUuid, createdAt, model, apiMessageId, requestId,
                isMeta, isCompactSummary, isSidechain, isSynthetic, branch);
    }
}
