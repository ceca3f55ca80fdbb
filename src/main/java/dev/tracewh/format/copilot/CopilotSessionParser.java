package dev.tracewh.format.copilot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.LineValues;
import dev.tracewh.format.MessageDraft;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static dev.tracewh.format.JsonFields.nonEmptyText;
import static dev.tracewh.format.JsonFields.text;
import static java.util.Objects.requireNonNull;

/**
 * Turns one Copilot CLI event log into the session's trace plus one sidechain trace per sub-agent whose events it
 * holds. Only an event's top-level {@code type} decides what it is (a tool's arguments may quote any type). A
 * sub-agent runs inline: its events carry the envelope's {@code agentId} (newer CLIs) or {@code data.parentToolCallId}
 * (older ones), and go to the trace {@code <session id>:<agent id or spawning call id>}. A tool call is written twice,
 * in the assistant's {@code toolRequests} and as {@code tool.execution_start}: the request is kept, and a start only for
 * a call no request names (old logs). An assistant response split into chunks ({@code chunkIndex}) is one message.
 * Token usage: the store's per-request rows of the session when it has any, else the shutdown roll-ups as session
 * totals per model ({@link ShutdownRollup}).
 */
final class CopilotSessionParser
{
    private static final String MAIN = "";
    private static final Set<String> SUBAGENT_EVENTS = Set.of("subagent.started", "subagent.completed", "subagent.failed");
    private static final String[] USAGE_COUNTS = {"inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "reasoningTokens"};

    /** One event, kept until the groups are known; its line is gone by then, so line-bound checks happen on reading. */
    private record Event(String type, String id, String parentId, JsonNode data, long line, Instant timestamp) {}

    /** The events of the main agent or of one sub-agent, and the call that spawned the sub-agent. */
    private static final class Group
    {
        final List<Event> events = new ArrayList<>();
        String spawningCallId;
    }

    /** Where the session ran, from the latest start or resume that says. */
    private record Place(String cwd, String projectPath, String gitBranch) {}

    private final Path file;
    private final ObjectMapper mapper;
    private final JsonLines lines;
    private final LineValues values;
    private final SessionStore store;
    private final Workspace workspace;
    private final ObjectNode noData;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    /** Sub-agent instance ids by the call that spawned them, so an event naming only the call joins its agent. */
    private final Map<String, String> agentByCall = new HashMap<>();
    private final Set<String> requestedCallIds = new HashSet<>();
    private final ShutdownRollup rollup = new ShutdownRollup();
    private final List<ParseIssue> storeIssues = new ArrayList<>();
    private String sessionId;

    CopilotSessionParser(Path file, ObjectMapper mapper, ReadOptions options, SessionStore store, Workspace workspace)
    {
        this.file = requireNonNull(file, "file is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.lines = new JsonLines(mapper, requireNonNull(options, "options is null"));
        this.values = new LineValues(lines);
        this.store = requireNonNull(store, "store is null");
        this.workspace = requireNonNull(workspace, "workspace is null");
        this.noData = mapper.createObjectNode();
    }

    ParsedFile parse(InputStream input)
            throws IOException
    {
        lines.forEach(input, this::event);
        List<Trace> traces = groups.isEmpty() ? List.of() : traces();
        List<ParseIssue> issues = new ArrayList<>(lines.issues());
        issues.addAll(storeIssues);
        issues.sort(Comparator.comparingLong(ParseIssue::lineNumber));
        return new ParsedFile(traces, issues, lines.consumedBytes(), lines.consumedSha256(), lines.checkpointSha256(), lines.replacedCharacters());
    }

    private void event(JsonNode node, Line line)
    {
        String type = nonEmptyText(node, "type");
        if (type == null) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "event without a type: skipped");
            return;
        }
        JsonNode data = JsonFields.object(node, "data");
        data = data == null ? noData : data;
        Instant timestamp = values.timestamp(node, "timestamp", line);
        groups.computeIfAbsent(MAIN, ignored -> new Group());
        String key = groupOf(type, node, data);
        Group group = groups.computeIfAbsent(key, ignored -> new Group());
        if (!key.equals(MAIN) && group.spawningCallId == null) {
            group.spawningCallId = SUBAGENT_EVENTS.contains(type) ? nonEmptyText(data, "toolCallId") : nonEmptyText(data, "parentToolCallId");
        }
        switch (type) {
            case "session.start" -> sessionId = sessionId == null ? nonEmptyText(data, "sessionId") : sessionId;
            case "assistant.message" -> toolRequests(data, line);
            case "tool.execution_start", "tool.execution_complete" -> {
                if (nonEmptyText(data, "toolCallId") == null) {
                    lines.issue(line, JsonLines.UNEXPECTED_SHAPE, type + " without a toolCallId: no call or result is made of it");
                }
            }
            case "session.shutdown" -> rollup.shutdown(modelMetrics(data, line), timestamp);
            case "session.compaction_complete" -> {
                if (JsonFields.isTrue(data, "success")) {
                    rollup.compacted();
                }
            }
            default -> {
                // the other events are read with their group
            }
        }
        group.events.add(new Event(type, text(node, "id"), text(node, "parentId"), data, line.number(), timestamp));
    }

    /** The group of an event: its sub-agent's (by instance id, else by spawning call), or the main agent's. */
    private String groupOf(String type, JsonNode node, JsonNode data)
    {
        String agentId = nonEmptyText(node, "agentId");
        if (SUBAGENT_EVENTS.contains(type)) {
            String call = nonEmptyText(data, "toolCallId");
            if (agentId != null && call != null) {
                agentByCall.putIfAbsent(call, agentId);
            }
            return agentId != null ? agentId : call != null ? agentByCall.getOrDefault(call, call) : MAIN;
        }
        if (agentId != null) {
            return agentId;
        }
        String parentCall = nonEmptyText(data, "parentToolCallId");
        return parentCall == null ? MAIN : agentByCall.getOrDefault(parentCall, parentCall);
    }

    private void toolRequests(JsonNode data, Line line)
    {
        for (JsonNode request : requests(data)) {
            String id = nonEmptyText(request, "toolCallId");
            if (id == null) {
                lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "a tool request without a toolCallId: left out");
            }
            else {
                requestedCallIds.add(id);
            }
        }
    }

    /** The valid per-model counts of a shutdown; a model whose counts are not token counts is an issue and left out. */
    private Map<String, ShutdownRollup.Counts> modelMetrics(JsonNode data, Line line)
    {
        Map<String, ShutdownRollup.Counts> metrics = new LinkedHashMap<>();
        JsonNode models = JsonFields.object(data, "modelMetrics");
        if (models == null) {
            return metrics;
        }
        for (Map.Entry<String, JsonNode> model : models.properties()) {
            JsonNode usage = JsonFields.object(model.getValue(), "usage");
            if (usage != null && values.areCounts(usage, line, USAGE_COUNTS)) {
                metrics.put(model.getKey(), new ShutdownRollup.Counts(JsonFields.longValue(usage, "inputTokens"), JsonFields.longValue(usage, "outputTokens"),
                        JsonFields.longValue(usage, "cacheReadTokens"), JsonFields.longValue(usage, "cacheWriteTokens"),
                        JsonFields.longValue(usage, "reasoningTokens")));
            }
        }
        return metrics;
    }

    private List<Trace> traces()
    {
        String fileSessionId = fileSessionId();
        String id = sessionId != null ? sessionId : fileSessionId;
        Map<String, List<TokenUsage>> usage = new HashMap<>();
        Map<String, SortedMap<String, Object>> meta = new HashMap<>();
        usage(id, usage, meta);
        if (!id.equals(fileSessionId)) {
            meta.get(MAIN).put("file_session_id", fileSessionId);
        }
        // the main trace names each sub-agent's spawning call, as ATIF and OpenCode parents do, for v_traces
        SortedMap<String, String> subagentCallIds = new TreeMap<>();
        groups.forEach((key, group) -> {
            if (!key.equals(MAIN) && group.spawningCallId != null) {
                subagentCallIds.put(id + ":" + key, group.spawningCallId);
            }
        });
        if (!subagentCallIds.isEmpty()) {
            meta.get(MAIN).put("subagent_call_ids", subagentCallIds);
        }
        List<Trace> traces = new ArrayList<>();
        GroupTrace main = new GroupTrace(groups.get(MAIN), false);
        traces.add(main.build(id, null, id, null, usage.getOrDefault(MAIN, List.of()), meta.get(MAIN)));
        for (Map.Entry<String, Group> group : groups.entrySet()) {
            if (!group.getKey().equals(MAIN)) {
                traces.add(new GroupTrace(group.getValue(), true).build(id + ":" + group.getKey(), group.getKey(), id, main.place,
                        usage.getOrDefault(group.getKey(), List.of()), meta.getOrDefault(group.getKey(), new TreeMap<>())));
            }
        }
        return traces;
    }

    /**
     * The usage rows of each group: the store's rows of the session, each in the trace of the sub-agent it names when
     * the log holds that sub-agent; else the shutdown roll-ups, in the main trace.
     */
    private void usage(String id, Map<String, List<TokenUsage>> usage, Map<String, SortedMap<String, Object>> meta)
    {
        List<SessionStore.Row> rows = store.rows(id, storeIssues::add);
        SortedMap<String, Object> mainMeta = meta.computeIfAbsent(MAIN, ignored -> new TreeMap<>());
        if (!rows.isEmpty()) {
            mainMeta.put("usage_accounting", "session_store");
            for (SessionStore.Row row : rows) {
                String key = owner(row);
                usage.computeIfAbsent(key, ignored -> new ArrayList<>()).add(Tokens.usage("session-store:" + row.rowId(), id, null, row.model(), row.at(),
                        row.input(), row.output(), row.cacheRead(), row.cacheWrite(), row.reasoning()));
                SortedMap<String, Object> groupMeta = meta.computeIfAbsent(key, ignored -> new TreeMap<>());
                groupMeta.put("usage_accounting", "session_store");
                if ("compaction".equals(row.initiator())) {
                    groupMeta.merge("compaction_usage_rows", 1L, (a, b) -> (Long) a + (Long) b);
                }
                if (row.nanoAiu() != null) {
                    groupMeta.merge("store_nano_aiu", row.nanoAiu(), (a, b) -> (Long) a + (Long) b);
                }
            }
        }
        else if (!rollup.isEmpty()) {
            mainMeta.put("usage_accounting", "shutdown_rollup");
            usage.put(MAIN, rollup.usage(id));
            if (rollup.resets() > 0) {
                mainMeta.put("shutdown_counter_resets", rollup.resets());
            }
        }
        else {
            mainMeta.put("usage_accounting", "none");
        }
    }

    private String owner(SessionStore.Row row)
    {
        if (row.agentId() != null && groups.containsKey(row.agentId())) {
            return row.agentId();
        }
        String call = row.parentToolCallId();
        String agent = call == null ? null : agentByCall.getOrDefault(call, call);
        return agent != null && groups.containsKey(agent) ? agent : MAIN;
    }

    /** {@code <id>} of {@code session-state/<id>/events.jsonl} or of {@code <id>.jsonl}. */
    private String fileSessionId()
    {
        String name = file.getFileName().toString();
        Path folder = file.toAbsolutePath().getParent();
        if (name.equals(CopilotFormat.EVENTS) && folder != null && folder.getFileName() != null) {
            return folder.getFileName().toString();
        }
        return name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
    }

    private static List<JsonNode> requests(JsonNode data)
    {
        JsonNode requests = data.get("toolRequests");
        List<JsonNode> list = new ArrayList<>();
        if (requests != null && requests.isArray()) {
            requests.forEach(request -> {
                if (request.isObject()) {
                    list.add(request);
                }
            });
        }
        return list;
    }

    /** Builds the trace of one group. */
    private final class GroupTrace
    {
        private final Group group;
        private final boolean sidechain;
        private final TraceAssembler trace = new TraceAssembler();
        private final List<String> pendingReasoning = new ArrayList<>();
        private final SortedMap<String, Object> meta = new TreeMap<>();
        private Place place = new Place(null, null, null);
        /** A turn or a user message came after the last assistant message: a call started now is not that message's. */
        private boolean newTurn = true;
        private long outputTokens;
        private long opaqueReasoningChars;

        GroupTrace(Group group, boolean sidechain)
        {
            this.group = group;
            this.sidechain = sidechain;
        }

        Trace build(String traceId, String agentId, String rootSessionId, Place mainPlace, List<TokenUsage> usage, SortedMap<String, Object> usageMeta)
        {
            Map<String, List<Event>> chunks = chunks();
            Map<String, Event> firstChunks = new HashMap<>();
            for (Event event : group.events) {
                String key = "assistant.message".equals(event.type()) ? chunkKey(event) : null;
                if (key != null && chunks.containsKey(key)) {
                    firstChunks.putIfAbsent(key, event);
                }
            }
            for (Event event : group.events) {
                trace.countRecordType(event.type());
                trace.seeTimestamp(event.timestamp());
                if (!"assistant.message".equals(event.type())) {
                    event(event);
                    continue;
                }
                String key = chunkKey(event);
                if (key == null || !chunks.containsKey(key)) {
                    assistant(List.of(event));
                }
                else if (firstChunks.get(key) == event) {
                    // the response stands where its first chunk was written
                    assistant(chunks.get(key));
                }
            }
            if (!pendingReasoning.isEmpty()) {
                // reasoning no response followed (an abort): kept on a message of its own
                MessageDraft draft = new MessageDraft(Role.ASSISTANT);
                draft.isSidechain = sidechain;
                pendingReasoning.forEach(draft::addReasoning);
                pendingReasoning.clear();
                trace.add(draft);
            }
            SortedMap<String, Object> sourceMeta = trace.sourceMeta();
            sourceMeta.putAll(meta);
            sourceMeta.putAll(usageMeta);
            if (outputTokens > 0) {
                sourceMeta.put("assistant_output_tokens", outputTokens);
            }
            if (opaqueReasoningChars > 0) {
                sourceMeta.put("opaque_reasoning_chars", opaqueReasoningChars);
            }
            if (sidechain && group.spawningCallId != null) {
                sourceMeta.put("parent_tool_call_id", group.spawningCallId);
            }
            Place where = mainPlace != null ? mainPlace : place;
            List<TokenUsage> dated = new ArrayList<>();
            for (TokenUsage row : usage) {
                trace.addModel(row.model());
                // a row without a time is dated by its trace, so daily views count it on a day
                dated.add(row.createdAt() != null ? row : new TokenUsage(row.responseId(), row.requestId(), row.messageOrdinal(), row.model(),
                        trace.endedAt(), row.inputTokens(), row.cacheCreationInputTokens(), row.cacheCreation1hInputTokens(), row.cacheReadInputTokens(),
                        row.outputTokens(), row.reasoningOutputTokens()));
            }
            String title = sidechain ? null : workspace.name();
            return new Trace(traceId, CopilotFormat.ID, file.toString(), rootSessionId, agentId, sidechain, where.cwd(), where.projectPath(),
                    where.gitBranch(), trace.startedAt(), trace.endedAt(), trace.messages(), trace.toolCalls(), dated, sourceMeta, title,
                    sidechain ? null : workspace.summary(), trace.versions(), trace.models());
        }

        /** The chunks of each split response, by its API call id (else message id), in chunk order. */
        private Map<String, List<Event>> chunks()
        {
            Map<String, List<Event>> chunks = new HashMap<>();
            for (Event event : group.events) {
                if ("assistant.message".equals(event.type()) && chunkKey(event) != null) {
                    chunks.computeIfAbsent(chunkKey(event), ignored -> new ArrayList<>()).add(event);
                }
            }
            chunks.values().removeIf(response -> response.size() < 2);
            chunks.values().forEach(response -> response.sort(Comparator.comparingLong(event -> JsonFields.longValue(event.data(), "chunkIndex"))));
            return chunks;
        }

        private static String chunkKey(Event event)
        {
            JsonNode index = event.data().get("chunkIndex");
            if (index == null || !index.canConvertToLong()) {
                return null;
            }
            String apiCall = nonEmptyText(event.data(), "apiCallId");
            return apiCall != null ? "api:" + apiCall : nonEmptyText(event.data(), "messageId") == null ? null : "message:" + nonEmptyText(event.data(), "messageId");
        }

        private void event(Event event)
        {
            JsonNode data = event.data();
            switch (event.type()) {
                case "session.start" -> {
                    trace.addVersion(nonEmptyText(data, "copilotVersion"));
                    putText("producer", nonEmptyText(data, "producer"));
                    putText("selected_model", nonEmptyText(data, "selectedModel"));
                    putText("detached_from_session", nonEmptyText(data, "detachedFromSpawningParentSessionId"));
                    leg(data);
                }
                case "session.resume" -> {
                    trace.count("resumes");
                    leg(data);
                }
                case "session.model_change" -> trace.addModel(nonEmptyText(data, "newModel"));
                case "session.auto_mode_resolved" -> trace.addModel(nonEmptyText(data, "chosenModel"));
                case "session.shutdown" -> shutdown(data);
                case "session.usage_checkpoint" -> {
                    putNumber("total_nano_aiu", data.get("totalNanoAiu"));
                    putNumber("total_premium_requests", data.get("totalPremiumRequests"));
                }
                case "session.compaction_complete" -> compaction(event);
                case "session.truncation" -> trace.count("truncations");
                case "session.error" -> trace.count("session_errors");
                case "abort" -> trace.count("aborts");
                case "system.message" -> addText(draft(Role.SYSTEM, event), text(data, "content"));
                case "system.notification" -> {
                    // a runtime notice (a background agent finished) the model reads, not the user's words
                    MessageDraft draft = draft(Role.USER, event);
                    draft.isMeta = true;
                    addText(draft, text(data, "content"));
                }
                case "user.message" -> user(event);
                case "assistant.turn_start" -> newTurn = true;
                case "assistant.reasoning" -> {
                    String content = text(data, "content");
                    if (content != null && !content.isEmpty()) {
                        pendingReasoning.add(content);
                    }
                }
                case "tool.execution_start" -> executionStart(event);
                case "tool.execution_complete" -> executionComplete(event);
                case "subagent.started" -> {
                    putText("agent_name", nonEmptyText(data, "agentName"));
                    putText("agent_display_name", nonEmptyText(data, "agentDisplayName"));
                    trace.addModel(nonEmptyText(data, "model"));
                    meta.putIfAbsent("subagent_status", "running");
                }
                case "subagent.completed", "subagent.failed" -> subagentEnd(event);
                default -> {
                    // hooks, permissions, notices and the other bookkeeping events carry no message
                }
            }
        }

        /** A process leg's start: where it runs (the latest leg's place wins) and its model. */
        private void leg(JsonNode data)
        {
            trace.count("legs");
            trace.addModel(nonEmptyText(data, "selectedModel"));
            JsonNode context = JsonFields.object(data, "context");
            String cwd = context == null ? null : nonEmptyText(context, "cwd");
            if (cwd != null) {
                String root = nonEmptyText(context, "gitRoot");
                place = new Place(cwd, root != null ? root : cwd, nonEmptyText(context, "branch"));
            }
        }

        private void shutdown(JsonNode data)
        {
            appendText("shutdown_types", nonEmptyText(data, "shutdownType"));
            appendText("shutdown_error_reasons", nonEmptyText(data, "errorReason"));
            putNumber("total_premium_requests", data.get("totalPremiumRequests"));
            putNumber("total_nano_aiu", data.get("totalNanoAiu"));
            trace.addModel(nonEmptyText(data, "currentModel"));
            JsonNode models = JsonFields.object(data, "modelMetrics");
            if (models != null) {
                models.fieldNames().forEachRemaining(trace::addModel);
            }
            JsonNode changes = JsonFields.object(data, "codeChanges");
            if (changes != null) {
                // the last leg's: the CLI's own summary of the session's edits
                meta.put("code_changes", mapper.convertValue(changes, Object.class));
            }
        }

        private void compaction(Event event)
        {
            trace.count("compactions");
            String summary = text(event.data(), "summaryContent");
            if (JsonFields.isTrue(event.data(), "success") && summary != null && !summary.isEmpty()) {
                MessageDraft draft = draft(Role.SYSTEM, event);
                draft.isCompactSummary = true;
                addText(draft, summary);
            }
        }

        private void user(Event event)
        {
            JsonNode data = event.data();
            MessageDraft draft = new MessageDraft(Role.USER);
            fill(draft, event);
            String content = text(data, "content");
            if (content != null && !content.isEmpty()) {
                draft.content.add(ContentBlock.text(content));
            }
            String transformed = text(data, "transformedContent");
            if (transformed != null && !transformed.equals(content)) {
                // the model saw the prompt with injected context; the trace keeps what the user typed
                trace.count("user_messages_transformed");
            }
            JsonNode attachments = data.get("attachments");
            if (attachments != null && attachments.isArray()) {
                for (JsonNode attachment : attachments) {
                    String kind = attachment.isObject() ? nonEmptyText(attachment, "type") : null;
                    draft.content.add(new ContentBlock("attachment:" + (kind == null ? "unknown" : kind), null, null));
                }
            }
            trace.add(draft);
            newTurn = true;
        }

        /** One response, from its chunks in order: each chunk's text a block, their reasoning and tool requests in turn. */
        private void assistant(List<Event> response)
        {
            Event first = response.getFirst();
            MessageDraft draft = new MessageDraft(Role.ASSISTANT);
            fill(draft, first);
            pendingReasoning.forEach(draft::addReasoning);
            long responseOutput = 0;
            for (Event chunk : response) {
                JsonNode data = chunk.data();
                String content = text(data, "content");
                if (content != null && !content.isEmpty()) {
                    draft.content.add(ContentBlock.text(content));
                }
                String reasoning = text(data, "reasoningText");
                if (reasoning != null && !pendingReasoning.contains(reasoning)) {
                    draft.addReasoning(reasoning);
                }
                draft.model = draft.model != null ? draft.model : nonEmptyText(data, "model");
                draft.apiMessageId = draft.apiMessageId != null ? draft.apiMessageId : nonEmptyText(data, "apiCallId");
                draft.requestId = draft.requestId != null ? draft.requestId : nonEmptyText(data, "requestId");
                // the API response's count, which each chunk of it may repeat
                responseOutput = Math.max(responseOutput, Math.max(0, JsonFields.longValue(data, "outputTokens")));
                opaqueReasoningChars += length(data, "reasoningOpaque") + length(data, "encryptedContent");
            }
            pendingReasoning.clear();
            outputTokens += responseOutput;
            trace.addModel(draft.model);
            trace.add(draft);
            newTurn = false;
            for (Event chunk : response) {
                for (JsonNode request : requests(chunk.data())) {
                    String id = nonEmptyText(request, "toolCallId");
                    if (id != null) {
                        String name = text(request, "name");
                        trace.addToolCall(id, name == null ? "" : name, arguments(request.get("arguments")), chunk.timestamp());
                    }
                }
            }
        }

        /** A call no request names (logs before requests were written): on the assistant message of its turn, else on one standing for it. */
        private void executionStart(Event event)
        {
            String id = nonEmptyText(event.data(), "toolCallId");
            if (id == null || requestedCallIds.contains(id)) {
                return;
            }
            MessageDraft last = trace.last();
            if (last == null || last.role != Role.ASSISTANT || newTurn) {
                MessageDraft draft = draft(Role.ASSISTANT, event);
                draft.isSynthetic = true;
                newTurn = false;
            }
            trace.count("calls_from_execution_start");
            String name = text(event.data(), "toolName");
            trace.addToolCall(id, name == null ? "" : name, arguments(event.data().get("arguments")), event.timestamp());
        }

        private void executionComplete(Event event)
        {
            JsonNode data = event.data();
            String id = nonEmptyText(data, "toolCallId");
            MessageDraft draft = new MessageDraft(Role.TOOL);
            fill(draft, event);
            draft.toolCallId = id;
            JsonNode result = JsonFields.object(data, "result");
            String content = result == null ? null : text(result, "content");
            JsonNode error = data.get("error");
            String errorText = error == null ? null : error.isTextual() ? error.textValue() : error.isObject() ? text(error, "message") : null;
            String text = content != null && !content.isEmpty() ? content : errorText;
            if (text != null && !text.isEmpty()) {
                draft.content.add(ContentBlock.text(text));
            }
            JsonNode success = data.get("success");
            Boolean isError = success != null && success.isBoolean() ? !success.booleanValue() : error != null && !error.isNull() ? Boolean.TRUE : null;
            int ordinal = trace.add(draft);
            if (id != null) {
                trace.addToolResult(id, ordinal, text == null ? "" : text, isError, null, null);
            }
        }

        private void subagentEnd(Event event)
        {
            JsonNode data = event.data();
            boolean failed = event.type().equals("subagent.failed");
            meta.put("subagent_status", failed ? "failed" : JsonFields.isTrue(data, "cancelled") ? "cancelled" : "completed");
            putText("agent_name", nonEmptyText(data, "agentName"));
            putText("agent_display_name", nonEmptyText(data, "agentDisplayName"));
            putText("subagent_error", failed ? nonEmptyText(data, "error") : null);
            putNumber("subagent_total_tokens", data.get("totalTokens"));
            putNumber("subagent_total_tool_calls", data.get("totalToolCalls"));
            putNumber("subagent_duration_ms", data.get("durationMs"));
            trace.addModel(nonEmptyText(data, "model"));
        }

        /** A new message of the event, added to the trace. */
        private MessageDraft draft(Role role, Event event)
        {
            MessageDraft draft = new MessageDraft(role);
            fill(draft, event);
            trace.add(draft);
            return draft;
        }

        private void fill(MessageDraft draft, Event event)
        {
            draft.lineNumber = event.line();
            draft.lineUuid = event.id();
            draft.parentUuid = event.parentId();
            draft.createdAt = event.timestamp();
            draft.isSidechain = sidechain;
        }

        private void addText(MessageDraft draft, String text)
        {
            if (text != null && !text.isEmpty()) {
                draft.content.add(ContentBlock.text(text));
            }
        }

        private void putText(String key, String value)
        {
            if (value != null) {
                meta.put(key, value);
            }
        }

        @SuppressWarnings("unchecked")
        private void appendText(String key, String value)
        {
            if (value != null) {
                ((List<String>) meta.computeIfAbsent(key, ignored -> new ArrayList<String>())).add(value);
            }
        }

        /** The latest value of a counter the CLI keeps for the whole session. */
        private void putNumber(String key, JsonNode value)
        {
            if (value != null && value.isNumber()) {
                meta.put(key, value.numberValue());
            }
        }
    }

    /** Tool arguments as one JSON text: an object as JSON, a string as it is when it holds JSON, else as a JSON string. */
    private String arguments(JsonNode arguments)
    {
        if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
            return "{}";
        }
        if (!arguments.isTextual()) {
            return arguments.toString();
        }
        String text = arguments.textValue();
        try {
            mapper.readTree(text);
            return text.isBlank() ? mapper.writeValueAsString(text) : text;
        }
        catch (JsonProcessingException notJson) {
            return arguments.toString();
        }
    }

    private static long length(JsonNode data, String field)
    {
        String text = text(data, field);
        return text == null ? 0 : text.length();
    }
}
