package dev.tracewh.format;

import dev.tracewh.model.Message;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Collects what a parser finds in one file, in file order: messages, tool calls paired with their results by
 * id (never by position), token usage per response, the time span, and counts for {@code source_meta}.
 */
public final class TraceAssembler
{
    private final List<MessageDraft> messages = new ArrayList<>();
    private final Map<String, ToolCall> toolCalls = new LinkedHashMap<>();
    private final Map<String, TokenUsage> usageByResponse = new LinkedHashMap<>();
    private final Set<String> models = new LinkedHashSet<>();
    private final Set<String> versions = new LinkedHashSet<>();
    private final SortedMap<String, Long> recordTypes = new TreeMap<>();
    private final SortedMap<String, Long> counters = new TreeMap<>();
    private Instant startedAt;
    private Instant endedAt;

    /** Adds a message and returns its ordinal. */
    public int add(MessageDraft draft)
    {
        messages.add(draft);
        return messages.size() - 1;
    }

    /** The last message, or null when there is none yet. */
    public MessageDraft last()
    {
        return messages.isEmpty() ? null : messages.getLast();
    }

    /** Places message {@code ordinal} on a branch of the conversation (0, the default, is the active path). */
    public void placeOnBranch(int ordinal, int branch)
    {
        messages.get(ordinal).branch = branch;
    }

    public int lastOrdinal()
    {
        return messages.size() - 1;
    }

    /**
     * Adds a tool call of the last message, which must be the assistant message making it. A repeated id
     * (a replayed line) is counted and dropped.
     */
    public void addToolCall(String id, String name, String arguments, Instant calledAt)
    {
        if (toolCalls.containsKey(id)) {
            count("duplicate_tool_call_ids");
            return;
        }
        MessageDraft message = last();
        toolCalls.put(id, new ToolCall(id, lastOrdinal(), message.toolCallCount++, name, arguments, calledAt,
                null, null, null, null, null));
    }

    /** Attaches a result to the call with that id; a result for an unknown call is counted. */
    public void addToolResult(String id, int resultOrdinal, String text, Boolean isError, Long exitCode, Double durationSeconds)
    {
        ToolCall call = toolCalls.get(id);
        if (call == null) {
            count("tool_results_without_call");
            return;
        }
        if (call.resultOrdinal() != null) {
            count("duplicate_tool_results");
            return;
        }
        toolCalls.put(id, call.withResult(resultOrdinal, text, isError, exitCode, durationSeconds));
    }

    /** Sets the usage of a response; a later line of the same response replaces an earlier one. */
    public void putUsage(TokenUsage usage)
    {
        usageByResponse.put(usage.responseId() + "\u0000" + usage.requestId(), usage);
    }

    public void seeTimestamp(Instant timestamp)
    {
        if (timestamp == null) {
            return;
        }
        if (startedAt == null || timestamp.isBefore(startedAt)) {
            startedAt = timestamp;
        }
        if (endedAt == null || timestamp.isAfter(endedAt)) {
            endedAt = timestamp;
        }
    }

    public void addModel(String model)
    {
        if (model != null && !model.isEmpty()) {
            models.add(model);
        }
    }

    public void addVersion(String version)
    {
        if (version != null && !version.isEmpty()) {
            versions.add(version);
        }
    }

    public void countRecordType(String type)
    {
        recordTypes.merge(type == null ? "(none)" : type, 1L, Long::sum);
    }

    public void count(String counter)
    {
        counters.merge(counter, 1L, Long::sum);
    }

    public List<Message> messages()
    {
        List<Message> built = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            built.add(messages.get(i).build(i));
        }
        return built;
    }

    public List<ToolCall> toolCalls()
    {
        return List.copyOf(toolCalls.values());
    }

    public List<TokenUsage> tokenUsage()
    {
        return List.copyOf(usageByResponse.values());
    }

    public List<String> models()
    {
        return List.copyOf(models);
    }

    public List<String> versions()
    {
        return List.copyOf(versions);
    }

    public Instant startedAt()
    {
        return startedAt;
    }

    public Instant endedAt()
    {
        return endedAt;
    }

    /** The record-type counts and counters, as the base of a trace's {@code source_meta}. */
    public SortedMap<String, Object> sourceMeta()
    {
        SortedMap<String, Object> meta = new TreeMap<>();
        meta.put("record_types", new TreeMap<>(recordTypes));
        counters.forEach(meta::put);
        return meta;
    }
}
