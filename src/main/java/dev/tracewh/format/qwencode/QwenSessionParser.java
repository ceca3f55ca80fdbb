package dev.tracewh.format.qwencode;

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
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

import static dev.tracewh.format.JsonFields.nonEmptyText;
import static dev.tracewh.format.JsonFields.text;
import static java.util.Objects.requireNonNull;

/**
 * Turns one Qwen Code chat file ({@code projects/<cwd>/chats/<session>.jsonl}) into a trace, plus one per sub-agent
 * whose records it holds. Records form a tree by {@code uuid}/{@code parentUuid}; a repeated uuid is a record written
 * again (a streaming response completed): the last copy wins, in the first one's place. The active path runs from the
 * last conversational record (user, assistant, tool result, or a rewind or compression) back to the root; trailing
 * metadata (titles, artifact snapshots) never ends it. Messages off the path are stored on abandoned branches.
 */
final class QwenSessionParser
{
    private static final String[] USAGE_COUNTS = {"promptTokenCount", "candidatesTokenCount", "thoughtsTokenCount", "cachedContentTokenCount",
            "totalTokenCount"};
    private static final Set<String> CONVERSATIONAL_SYSTEM = Set.of("rewind", "chat_compression");
    private static final String MAIN = "";

    /** One record, kept until its group's active path is known. */
    private record Record(String uuid, String parentUuid, String type, String subtype, JsonNode node, Line line, Instant timestamp) {}

    /** The records of the main session or of one sub-agent, by uuid in first-seen order, and its last conversational record. */
    private static final class Group
    {
        final Map<String, Record> records = new LinkedHashMap<>();
        String leaf;
        String sessionId;
    }

    private final Path file;
    private final JsonLines lines;
    private final LineValues values;
    private final QwenRecordReader reader;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    QwenSessionParser(Path file, ObjectMapper mapper, ReadOptions options)
    {
        this.file = requireNonNull(file, "file is null");
        requireNonNull(mapper, "mapper is null");
        this.lines = new JsonLines(mapper, options);
        this.values = new LineValues(lines);
        this.reader = new QwenRecordReader(mapper, lines, options);
    }

    ParsedFile parse(InputStream input)
            throws IOException
    {
        reader.forEach(input, this::record);
        List<Trace> traces = new ArrayList<>();
        Group main = groups.get(MAIN);
        String sessionId = main != null && main.sessionId != null ? main.sessionId : sessionIdOfFileName();
        String rootSessionId = sessionId;
        if (main != null) {
            Trace trace = new GroupTrace(main).build(sessionId, null, sessionId);
            rootSessionId = trace.rootSessionId();
            traces.add(trace);
        }
        for (Map.Entry<String, Group> group : groups.entrySet()) {
            if (!group.getKey().equals(MAIN)) {
                traces.add(new GroupTrace(group.getValue()).build(sessionId + ":" + group.getKey(), group.getKey(), rootSessionId));
            }
        }
        // usage is checked when the traces are built, after every line was read: issues in line order
        List<ParseIssue> issues = lines.issues().stream().sorted(Comparator.comparingLong(ParseIssue::lineNumber)).toList();
        return new ParsedFile(traces, issues, reader.consumedBytes(), reader.consumedSha256(), reader.checkpointSha256(),
                reader.replacedCharacters());
    }

    private String sessionIdOfFileName()
    {
        String name = file.getFileName().toString();
        return name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
    }

    private void record(JsonNode node, Line line)
    {
        String uuid = nonEmptyText(node, "uuid");
        String type = nonEmptyText(node, "type");
        if (uuid == null || type == null) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "record without a uuid or a type");
            return;
        }
        String agentId = nonEmptyText(node, "agentId");
        if (agentId == null && JsonFields.isTrue(node, "isSidechain")) {
            agentId = "sidechain";
        }
        Group group = groups.computeIfAbsent(agentId == null ? MAIN : agentId, ignored -> new Group());
        if (group.sessionId == null) {
            group.sessionId = nonEmptyText(node, "sessionId");
        }
        String subtype = nonEmptyText(node, "subtype");
        group.records.put(uuid, new Record(uuid, nonEmptyText(node, "parentUuid"), type, subtype, node, line,
                values.timestamp(node, "timestamp", line)));
        if (!"system".equals(type) || CONVERSATIONAL_SYSTEM.contains(subtype)) {
            group.leaf = uuid;
        }
    }

    /** Builds the trace of one group. */
    private final class GroupTrace
    {
        private final Group group;
        private final TraceAssembler trace = new TraceAssembler();
        private final ParentTree tree = new ParentTree();
        private String title;
        private String parentSession;

        GroupTrace(Group group)
        {
            this.group = group;
        }

        Trace build(String traceId, String agentId, String rootSessionId)
        {
            for (Record record : group.records.values()) {
                tree.link(record.uuid(), record.parentUuid());
            }
            if (group.leaf != null) {
                tree.activePathFrom(group.leaf);
            }
            String cwd = null;
            String gitBranch = null;
            String anyCwd = null;
            for (Record record : group.records.values()) {
                JsonNode node = record.node();
                trace.countRecordType(record.subtype() == null ? record.type() : record.type() + "/" + record.subtype());
                trace.seeTimestamp(record.timestamp());
                trace.addVersion(nonEmptyText(node, "version"));
                anyCwd = firstNonNull(nonEmptyText(node, "cwd"), anyCwd);
                if (tree.onPath(record.uuid())) {
                    cwd = firstNonNull(nonEmptyText(node, "cwd"), cwd);
                    gitBranch = firstNonNull(nonEmptyText(node, "gitBranch"), gitBranch);
                }
                else {
                    trace.count("records_off_path");
                }
                JsonNode forkedFrom = JsonFields.object(node, "forkedFrom");
                if (forkedFrom != null) {
                    trace.sourceMeta().putIfAbsent("forked_from_session", text(forkedFrom, "sessionId"));
                }
                record(record);
            }
            if (cwd == null) {
                cwd = anyCwd;
            }
            SortedMap<String, Object> meta = trace.sourceMeta();
            if (group.sessionId != null && !group.sessionId.equals(sessionIdOfFileName()) && agentId == null) {
                meta.put("file_session_id", sessionIdOfFileName());
            }
            if (parentSession != null) {
                meta.put("parent_session", parentSession);
            }
            String root = agentId == null && parentSession != null ? parentSession : rootSessionId;
            return new Trace(traceId, QwenCodeFormat.ID, file.toString(), root, agentId, agentId != null, cwd, cwd, gitBranch,
                    trace.startedAt(), trace.endedAt(), trace.messages(), trace.toolCalls(), trace.tokenUsage(), meta, title, null,
                    trace.versions(), trace.models());
        }

        private void record(Record record)
        {
            JsonNode node = record.node();
            switch (record.type()) {
                case "user" -> user(record);
                case "assistant" -> assistant(record);
                case "tool_result" -> toolResult(record);
                case "system" -> system(record, JsonFields.object(node, "systemPayload"));
                default -> lines.issue(record.line(), JsonLines.UNEXPECTED_SHAPE, "record of unknown type \"" + record.type() + "\"");
            }
        }

        private void user(Record record)
        {
            MessageDraft draft = draft(Role.USER, record);
            // a background task's notification is the agent's, not the user's words; the model still sees it
            draft.isMeta = "notification".equals(record.subtype());
            for (JsonNode part : parts(record.node())) {
                addPart(draft, part);
            }
            trace.add(draft);
        }

        private void assistant(Record record)
        {
            JsonNode node = record.node();
            MessageDraft draft = draft(Role.ASSISTANT, record);
            draft.model = nonEmptyText(node, "model");
            trace.addModel(draft.model);
            int ordinal = trace.add(draft);
            for (JsonNode part : parts(node)) {
                JsonNode call = JsonFields.object(part, "functionCall");
                if (JsonFields.isTrue(part, "thought")) {
                    draft.addReasoning(text(part, "text"));
                }
                else if (call != null) {
                    toolCall(record, call);
                }
                else {
                    addPart(draft, part);
                }
            }
            usage(record, draft.model, ordinal, JsonFields.object(node, "usageMetadata"));
        }

        /**
         * Gemini-style usage: the prompt count includes cached tokens; thoughts are outside the candidates count when the
         * total says so (total = prompt + candidates + thoughts) or gives no answer, as in Gemini's API, else inside.
         */
        private void usage(Record record, String model, int ordinal, JsonNode usage)
        {
            if (usage == null || !values.areCounts(usage, record.line(), USAGE_COUNTS)) {
                return;
            }
            boolean anyCount = false;
            for (String field : USAGE_COUNTS) {
                anyCount |= usage.hasNonNull(field);
            }
            if (!anyCount) {
                return;
            }
            long prompt = JsonFields.longValue(usage, "promptTokenCount");
            long cached = Math.min(JsonFields.longValue(usage, "cachedContentTokenCount"), prompt);
            long candidates = JsonFields.longValue(usage, "candidatesTokenCount");
            long thoughts = JsonFields.longValue(usage, "thoughtsTokenCount");
            boolean thoughtsInside = usage.hasNonNull("totalTokenCount") && JsonFields.longValue(usage, "totalTokenCount") == prompt + candidates;
            long output = thoughtsInside ? candidates : candidates + thoughts;
            trace.putUsage(new TokenUsage(record.uuid(), "", ordinal, model, record.timestamp(), prompt - cached, 0, 0, cached, output,
                    Math.min(thoughts, output)));
        }

        private void toolCall(Record record, JsonNode call)
        {
            String id = nonEmptyText(call, "id");
            if (id == null) {
                lines.issue(record.line(), JsonLines.UNEXPECTED_SHAPE, "functionCall without an id");
                return;
            }
            JsonNode args = call.get("args");
            String name = text(call, "name");
            trace.addToolCall(id, name == null ? "" : name, args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString(),
                    record.timestamp());
        }

        private void toolResult(Record record)
        {
            JsonNode node = record.node();
            JsonNode result = JsonFields.object(node, "toolCallResult");
            JsonNode response = null;
            String callId = nonEmptyText(result, "callId");
            for (JsonNode part : parts(node)) {
                JsonNode candidate = JsonFields.object(part, "functionResponse");
                if (candidate != null && response == null) {
                    response = candidate;
                }
            }
            if (callId == null) {
                callId = nonEmptyText(response, "id");
            }
            MessageDraft draft = draft(Role.TOOL, record);
            draft.toolCallId = callId;
            String text = resultText(result, response);
            if (text != null && !text.isEmpty()) {
                draft.content.add(ContentBlock.text(text));
            }
            int ordinal = trace.add(draft);
            if (callId == null) {
                lines.issue(record.line(), JsonLines.UNEXPECTED_SHAPE, "tool_result without a call id");
                return;
            }
            String status = text(result, "status");
            Boolean isError = status == null ? null : "error".equals(status) || "cancelled".equals(status);
            trace.addToolResult(callId, ordinal, text == null ? "" : text, isError, null, null);
        }

        /** What the tool returned: the model-bound response's output or error, else the text shown to the user. */
        private String resultText(JsonNode result, JsonNode response)
        {
            JsonNode payload = response == null ? null : response.get("response");
            if (payload != null && payload.isObject()) {
                String output = text(payload, "output");
                if (output != null) {
                    return output;
                }
                String error = text(payload, "error");
                if (error != null) {
                    return error;
                }
                if (!payload.isEmpty()) {
                    return payload.toString();
                }
            }
            JsonNode display = result == null ? null : result.get("resultDisplay");
            if (display == null || display.isNull()) {
                return null;
            }
            return display.isTextual() ? display.asText() : display.toString();
        }

        private void system(Record record, JsonNode payload)
        {
            switch (record.subtype() == null ? "" : record.subtype()) {
                case "chat_compression" -> {
                    trace.count("compressions");
                    MessageDraft draft = draft(Role.SYSTEM, record);
                    draft.isCompactSummary = true;
                    JsonNode history = payload == null ? null : payload.get("compressedHistory");
                    for (JsonNode content : history != null && history.isArray() ? history : List.<JsonNode>of()) {
                        for (JsonNode part : parts(content)) {
                            addPart(draft, part);
                        }
                    }
                    trace.add(draft);
                }
                case "custom_title" -> {
                    // the writer re-appends the title as the file grows: the last one in the file is current
                    String customTitle = nonEmptyText(payload, "customTitle");
                    if (customTitle != null) {
                        title = customTitle;
                    }
                }
                case "parent_session" -> parentSession = firstNonNull(nonEmptyText(payload, "parentSessionId"), parentSession);
                case "session_model" -> trace.addModel(nonEmptyText(payload, "modelId"));
                case "rewind" -> trace.count("rewinds");
                default -> {
                    // telemetry, snapshots, slash commands and other bookkeeping carry no message
                }
            }
        }

        private MessageDraft draft(Role role, Record record)
        {
            MessageDraft draft = new MessageDraft(role);
            draft.lineNumber = record.line().number();
            draft.lineUuid = record.uuid();
            draft.parentUuid = record.parentUuid();
            draft.createdAt = record.timestamp();
            draft.isSidechain = JsonFields.isTrue(record.node(), "isSidechain");
            draft.branch = tree.branch(record.uuid());
            return draft;
        }
    }

    private static Iterable<JsonNode> parts(JsonNode node)
    {
        JsonNode content = node == null ? null : node.has("parts") ? node : node.get("message");
        JsonNode parts = content == null ? null : content.get("parts");
        return parts != null && parts.isArray() ? parts : List.of();
    }

    /** Text parts as text; inline data keeps its media type, not its payload; other parts keep their kind. */
    private static void addPart(MessageDraft draft, JsonNode part)
    {
        String text = text(part, "text");
        if (text != null) {
            if (!text.isEmpty()) {
                draft.content.add(ContentBlock.text(text));
            }
            return;
        }
        JsonNode inline = JsonFields.object(part, "inlineData");
        if (inline != null) {
            draft.content.add(new ContentBlock("inlineData", null, text(inline, "mimeType")));
            return;
        }
        String kind = part.isObject() && !part.isEmpty() ? part.fieldNames().next() : "unknown";
        draft.content.add(new ContentBlock(kind, null, null));
    }

    private static String firstNonNull(String value, String fallback)
    {
        return value != null ? value : fallback;
    }
}
