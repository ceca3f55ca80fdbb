package dev.tracewh.format.pi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.LineValues;
import dev.tracewh.format.MessageDraft;
import dev.tracewh.format.ParentTree;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceAssembler;
import dev.tracewh.jsonl.Line;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import static dev.tracewh.format.JsonFields.nonEmptyText;
import static dev.tracewh.format.JsonFields.text;
import static java.util.Objects.requireNonNull;

/**
 * Turns one Pi session file (v1, v2 or v3; also OpenClaw's transcripts, which are Pi v3) into one trace.
 * Entries form a tree by {@code id}/{@code parentId}; v1 files have no ids, and their entries are chained in file
 * order, as Pi's own migration does. The active path runs from the last entry back to a root (a null, unknown or
 * repeated parent ends it); every message is stored, those off the path on abandoned branches numbered from 1 in file
 * order, one number for everything below the entry where the conversation left the path.
 */
public final class PiSessionParser
{
    private static final String[] USAGE_COUNTS = {"input", "output", "cacheRead", "cacheWrite", "reasoning"};

    /** One entry of the tree, kept until the active path is known. */
    private record Entry(String id, String parentId, String type, JsonNode node, Line line, Instant timestamp) {}

    private final Path file;
    private final String sourceKind;
    private final Map<String, String> extraMeta;
    private final JsonLines lines;
    private final LineValues values;
    private final TraceAssembler trace = new TraceAssembler();
    private final List<Entry> entries = new ArrayList<>();
    private final ParentTree tree = new ParentTree();
    /** The key each tool-call id was last stored under: ids repeat within a file (a fake model's "call_1"). */
    private final Map<String, String> toolCallKeys = new HashMap<>();
    private final Set<String> usedToolCallKeys = new HashSet<>();
    private JsonNode header;
    private boolean headerMissing;
    private Instant headerTimestamp;
    private String title;

    /** {@code extraMeta}: facts the format knows from the file's place, added to the trace's {@code source_meta}. */
    public PiSessionParser(Path file, String sourceKind, Map<String, String> extraMeta, ObjectMapper mapper, ReadOptions options)
    {
        this.extraMeta = Map.copyOf(extraMeta);
        this.file = requireNonNull(file, "file is null");
        this.sourceKind = requireNonNull(sourceKind, "sourceKind is null");
        requireNonNull(mapper, "mapper is null");
        this.lines = new JsonLines(mapper, options);
        this.values = new LineValues(lines);
    }

    public ParsedFile parse(InputStream input)
            throws IOException
    {
        lines.forEach(input, this::line);
        List<Trace> traces = List.of();
        String sessionId = header == null ? null : nonEmptyText(header, "id");
        if (sessionId != null) {
            linkEntries();
            for (Entry entry : entries) {
                entry(entry);
            }
            traces = List.of(buildTrace(sessionId));
        }
        return new ParsedFile(traces, lines.issues(), lines.consumedBytes(), lines.consumedSha256(), lines.checkpointSha256(),
                lines.replacedCharacters());
    }

    private void line(JsonNode node, Line line)
    {
        String type = text(node, "type");
        trace.countRecordType(type);
        if (headerMissing) {
            return;
        }
        Instant timestamp = values.timestamp(node, "timestamp", line);
        if (header == null) {
            if (!"session".equals(type) || nonEmptyText(node, "id") == null) {
                // not a Pi session (another agent's JSONL, or its head cut off): one issue, not one per line
                headerMissing = true;
                lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "first line is not a session header with an id: file skipped");
                return;
            }
            header = node;
            headerTimestamp = timestamp;
            trace.seeTimestamp(timestamp);
            return;
        }
        if (type == null) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "entry without a type");
            return;
        }
        trace.seeTimestamp(timestamp);
        String id = nonEmptyText(node, "id");
        String parentId;
        if (header.has("version")) {
            parentId = nonEmptyText(node, "parentId");
            if (id == null) {
                lines.issue(line, JsonLines.UNEXPECTED_SHAPE, type + " entry without an id");
                return;
            }
        }
        else {
            // v1: no ids; each entry follows the one before it
            id = "line:" + line.number();
            parentId = entries.isEmpty() ? null : entries.getLast().id();
        }
        entries.add(new Entry(id, parentId, type, node, line, timestamp));
    }

    /**
     * Links the entries into the tree and marks the path from the last entry back to its root. A parent that names
     * no entry but a tool call (as some OpenClaw-style writers link a tool result) stands for the assistant entry that
     * made the call.
     */
    private void linkEntries()
    {
        Set<String> ids = new HashSet<>();
        Map<String, String> entryOfToolCall = new HashMap<>();
        for (Entry entry : entries) {
            ids.add(entry.id());
            JsonNode content = entry.node().path("message").path("content");
            for (JsonNode block : content.isArray() ? content : List.<JsonNode>of()) {
                String callId = "toolCall".equals(text(block, "type")) ? nonEmptyText(block, "id") : null;
                if (callId != null) {
                    entryOfToolCall.putIfAbsent(callId, entry.id());
                }
            }
        }
        for (Entry entry : entries) {
            String parentId = entry.parentId();
            tree.link(entry.id(), parentId == null || ids.contains(parentId) ? parentId : entryOfToolCall.getOrDefault(parentId, parentId));
        }
        if (!entries.isEmpty()) {
            tree.activePathFrom(entries.getLast().id());
        }
    }

    private void entry(Entry entry)
    {
        JsonNode node = entry.node();
        switch (entry.type()) {
            case "message" -> {
                JsonNode message = JsonFields.object(node, "message");
                if (message == null) {
                    lines.issue(entry.line(), JsonLines.UNEXPECTED_SHAPE, "message entry without a message object");
                    return;
                }
                message(entry, message);
            }
            case "model_change" -> trace.addModel(text(node, "modelId"));
            case "compaction", "branch_summary" -> {
                trace.count(entry.type() + "_entries");
                MessageDraft draft = draft(Role.USER, entry);
                draft.isCompactSummary = true;
                addText(draft, text(node, "summary"));
                trace.add(draft);
            }
            case "custom_message" -> {
                // the model sees it whatever "display" says (display only affects Pi's terminal view)
                MessageDraft draft = draft(Role.USER, entry);
                draft.isMeta = true;
                addContent(draft, node.get("content"));
                trace.add(draft);
            }
            case "custom" -> {
                // OpenClaw records the model in use as a "model-snapshot" extension entry
                if ("model-snapshot".equals(text(node, "customType"))) {
                    trace.addModel(text(JsonFields.object(node, "data"), "modelId"));
                }
            }
            case "session_info" -> {
                String name = nonEmptyText(node, "name");
                if (name != null) {
                    title = name;
                }
            }
            default -> {
                // thinking_level_change, label and unknown types carry no message
            }
        }
    }

    private void message(Entry entry, JsonNode message)
    {
        String role = text(message, "role");
        switch (role == null ? "" : role) {
            case "user" -> {
                MessageDraft draft = draft(Role.USER, entry);
                addContent(draft, message.get("content"));
                trace.add(draft);
            }
            case "assistant" -> assistant(entry, message);
            case "toolResult" -> toolResult(entry, message);
            case "system" -> {
                // pi 0.8x persists its system prompt: empty content, the prompt in named sections
                MessageDraft draft = draft(Role.SYSTEM, entry);
                addContent(draft, message.get("content"));
                JsonNode sections = JsonFields.object(message, "sections");
                if (sections != null) {
                    List<String> parts = new ArrayList<>();
                    sections.properties().forEach(section -> {
                        if (section.getValue().isTextual()) {
                            parts.add(section.getValue().asText());
                        }
                    });
                    addText(draft, String.join("\n\n", parts));
                }
                trace.add(draft);
            }
            case "bashExecution" -> bashExecution(entry, message);
            case "custom", "hookMessage" -> {
                MessageDraft draft = draft(Role.USER, entry);
                draft.isMeta = true;
                addContent(draft, message.get("content"));
                trace.add(draft);
            }
            case "branchSummary", "compactionSummary" -> {
                MessageDraft draft = draft(Role.USER, entry);
                draft.isCompactSummary = true;
                addText(draft, text(message, "summary"));
                trace.add(draft);
            }
            default -> lines.issue(entry.line(), JsonLines.UNEXPECTED_SHAPE, "message with unknown role \"" + role + "\"");
        }
    }

    private void assistant(Entry entry, JsonNode message)
    {
        MessageDraft draft = draft(Role.ASSISTANT, entry);
        draft.model = nonEmptyText(message, "model");
        draft.apiMessageId = nonEmptyText(message, "responseId");
        trace.addModel(draft.model);
        int ordinal = trace.add(draft);
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            addText(draft, content.asText());
        }
        else if (content != null && content.isArray()) {
            for (JsonNode block : content) {
                switch (text(block, "type") == null ? "" : text(block, "type")) {
                    case "text" -> addText(draft, text(block, "text"));
                    case "thinking" -> draft.addReasoning(text(block, "thinking"));
                    case "toolCall" -> toolCall(entry, block);
                    default -> addBlock(draft, block);
                }
            }
        }
        JsonNode usage = JsonFields.object(message, "usage");
        if (usage != null && values.areCounts(usage, entry.line(), USAGE_COUNTS)) {
            long output = JsonFields.longValue(usage, "output");
            long reasoning = JsonFields.longValue(usage, "reasoning");
            // keyed by the provider's response id (a fake model repeats one) and the entry id, which forks copy with the
            // entry; without a response id the entry's timestamp stands in, as v1 ids ("line:N") repeat across files
            String responseId = draft.apiMessageId != null ? draft.apiMessageId : String.valueOf(text(entry.node(), "timestamp"));
            trace.putUsage(new TokenUsage(responseId, entry.id(), ordinal, draft.model,
                    entry.timestamp(), JsonFields.longValue(usage, "input"), JsonFields.longValue(usage, "cacheWrite"),
                    JsonFields.longValue(usage, "cacheRead"), output, Math.min(reasoning, output)));
        }
    }

    private void toolCall(Entry entry, JsonNode block)
    {
        String id = nonEmptyText(block, "id");
        if (id == null) {
            lines.issue(entry.line(), JsonLines.UNEXPECTED_SHAPE, "toolCall without an id");
            return;
        }
        String key = usedToolCallKeys.contains(id) ? id + "@" + entry.id() : id;
        usedToolCallKeys.add(key);
        toolCallKeys.put(id, key);
        JsonNode arguments = block.get("arguments");
        String name = text(block, "name");
        trace.addToolCall(key, name == null ? "" : name, arguments == null || arguments.isNull() ? "{}"
                : arguments.isTextual() ? arguments.asText() : arguments.toString(), entry.timestamp());
    }

    private void toolResult(Entry entry, JsonNode message)
    {
        String callId = nonEmptyText(message, "toolCallId");
        MessageDraft draft = draft(Role.TOOL, entry);
        draft.toolCallId = callId;
        addContent(draft, message.get("content"));
        int ordinal = trace.add(draft);
        if (callId == null) {
            lines.issue(entry.line(), JsonLines.UNEXPECTED_SHAPE, "toolResult without a toolCallId");
            return;
        }
        JsonNode isError = message.get("isError");
        trace.addToolResult(toolCallKeys.getOrDefault(callId, callId), ordinal, textOf(draft),
                isError != null && isError.isBoolean() ? isError.booleanValue() : null, null, null);
    }

    /** A user's {@code !command}: Pi sends the command and its output to the model as a user message. */
    private void bashExecution(Entry entry, JsonNode message)
    {
        trace.count("bash_executions");
        MessageDraft draft = draft(Role.USER, entry);
        // "!!command" is kept out of the model's context
        draft.isMeta = JsonFields.isTrue(message, "excludeFromContext");
        StringBuilder text = new StringBuilder("$ ").append(text(message, "command") == null ? "" : text(message, "command"));
        String output = text(message, "output");
        if (output != null && !output.isEmpty()) {
            text.append('\n').append(output);
        }
        JsonNode exitCode = message.get("exitCode");
        if (exitCode != null && exitCode.isIntegralNumber()) {
            text.append("\n[exit code: ").append(exitCode.asLong()).append(']');
        }
        addText(draft, text.toString());
        trace.add(draft);
    }

    /** A message of {@code entry}, numbered in file order when it is off the active path. */
    private MessageDraft draft(Role role, Entry entry)
    {
        MessageDraft draft = new MessageDraft(role);
        draft.lineNumber = entry.line().number();
        draft.lineUuid = entry.id();
        draft.parentUuid = entry.parentId();
        draft.createdAt = entry.timestamp();
        draft.branch = tree.branch(entry.id());
        return draft;
    }

    private static void addContent(MessageDraft draft, JsonNode content)
    {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            addText(draft, content.asText());
            return;
        }
        if (content.isArray()) {
            for (JsonNode block : content) {
                if ("text".equals(text(block, "type"))) {
                    addText(draft, text(block, "text"));
                }
                else {
                    addBlock(draft, block);
                }
            }
        }
    }

    private static void addText(MessageDraft draft, String text)
    {
        if (text != null && !text.isEmpty()) {
            draft.content.add(ContentBlock.text(text));
        }
    }

    /** An image or unknown block keeps its type and media type, not its (base64) payload. */
    private static void addBlock(MessageDraft draft, JsonNode block)
    {
        String type = text(block, "type");
        draft.content.add(new ContentBlock(type == null ? "unknown" : type, null, text(block, "mimeType")));
    }

    private static String textOf(MessageDraft draft)
    {
        List<String> texts = new ArrayList<>();
        for (ContentBlock block : draft.content) {
            if (block.isText()) {
                texts.add(block.text());
            }
        }
        return String.join("\n\n", texts);
    }

    private Trace buildTrace(String sessionId)
    {
        SortedMap<String, Object> meta = trace.sourceMeta();
        String version = header.has("version") ? header.get("version").asText() : "1";
        meta.put("session_version", version);
        meta.putAll(extraMeta);
        String parentSession = nonEmptyText(header, "parentSession");
        if (parentSession == null) {
            parentSession = nonEmptyText(header, "branchedFrom");
        }
        if (parentSession != null) {
            meta.put("parent_session", parentSession);
        }
        // v1 headers name the starting model
        trace.addModel(nonEmptyText(header, "modelId"));
        String cwd = nonEmptyText(header, "cwd");
        Instant startedAt = headerTimestamp != null ? headerTimestamp : trace.startedAt();
        return new Trace(sessionId, sourceKind, file.toString(), sessionId, null, false, cwd, cwd, null,
                startedAt, trace.endedAt(), trace.messages(), trace.toolCalls(), trace.tokenUsage(), meta,
                title, null, List.of(), trace.models());
    }
}
