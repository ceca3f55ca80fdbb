package dev.tracewh.format.opencode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.MessageDraft;
import dev.tracewh.format.TraceAssembler;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Turns one session's messages and parts into a trace, the same for both stores. A user message is its text parts
 * (not those OpenCode injected, {@code synthetic}, unless they are all it has; never {@code ignored} ones) and files;
 * an assistant message is one assistant message per model call (a {@code step-start} part begins the next), its text,
 * reasoning and tool parts, each finished tool part then a tool message. Usage is one row per {@code step-finish}
 * part, else the message's {@code tokens}. Messages at and after a set {@code revert} point are left out.
 */
final class SessionBuilder
{
    /** Tool states that carry a result; {@code success} is an older writer's. */
    private static final Set<String> FINISHED = Set.of("completed", "error", "success");

    private final ObjectMapper mapper;
    private final String sourcePath;

    SessionBuilder(ObjectMapper mapper, String sourcePath)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.sourcePath = requireNonNull(sourcePath, "sourcePath is null");
    }

    Trace build(SessionRows session)
    {
        Session state = new Session(session);
        String revertMessage = session.revert() == null ? null : JsonFields.nonEmptyText(session.revert(), "messageID");
        String revertPart = session.revert() == null ? null : JsonFields.nonEmptyText(session.revert(), "partID");
        boolean reverted = false;
        for (SessionRows.MessageRow message : session.messages()) {
            if (reverted) {
                state.trace.count("reverted_messages");
                continue;
            }
            List<SessionRows.PartRow> parts = message.parts();
            if (message.id().equals(revertMessage)) {
                reverted = true;
                if (revertPart == null) {
                    state.trace.count("reverted_messages");
                    continue;
                }
                // reverted from a part on: the message keeps the parts before it
                parts = parts.stream().filter(part -> part.id().compareTo(revertPart) < 0).toList();
            }
            state.message(message, parts);
        }
        return state.trace();
    }

    /** What is being assembled for one session. */
    private final class Session
    {
        private final SessionRows session;
        private final TraceAssembler trace = new TraceAssembler();
        private final SortedMap<String, String> subagentCallIds = new TreeMap<>();
        private final List<String> errors = new ArrayList<>();
        private BigDecimal cost;

        Session(SessionRows session)
        {
            this.session = session;
        }

        void message(SessionRows.MessageRow message, List<SessionRows.PartRow> parts)
        {
            JsonNode data = message.data();
            String role = JsonFields.text(data, "role");
            trace.countRecordType(role);
            JsonNode time = JsonFields.object(data, "time");
            Instant created = millis(time == null || !time.path("created").canConvertToLong() ? message.timeCreated() : time.get("created").longValue());
            trace.seeTimestamp(created);
            if ("user".equals(role)) {
                user(message, parts, created);
            }
            else if ("assistant".equals(role)) {
                assistant(message, parts, created, time);
            }
            else {
                trace.count("messages_of_other_roles");
            }
        }

        private void user(SessionRows.MessageRow message, List<SessionRows.PartRow> parts, Instant created)
        {
            MessageDraft draft = draft(Role.USER);
            draft.createdAt = created;
            draft.lineUuid = message.id();
            draft.model = JsonFields.nonEmptyText(message.data().path("model"), "modelID");
            List<String> synthetic = new ArrayList<>();
            boolean compaction = false;
            for (SessionRows.PartRow part : parts) {
                JsonNode data = part.data();
                String type = JsonFields.text(data, "type");
                trace.count("part_" + type);
                switch (type == null ? "" : type) {
                    case "text" -> {
                        String text = JsonFields.text(data, "text");
                        if (text == null || JsonFields.isTrue(data, "ignored")) {
                            trace.count("ignored_text_parts");
                        }
                        else if (JsonFields.isTrue(data, "synthetic")) {
                            synthetic.add(text);
                        }
                        else {
                            draft.content.add(ContentBlock.text(text));
                        }
                    }
                    case "file" -> draft.content.add(file(data));
                    case "compaction" -> compaction = true;
                    default -> {
                        // agent and subtask mentions: what they asked for is the child session
                    }
                }
            }
            if (draft.content.stream().noneMatch(ContentBlock::isText) && !synthetic.isEmpty()) {
                // a turn OpenCode itself wrote ("Continue..." after a compaction): kept, marked
                synthetic.forEach(text -> draft.content.add(ContentBlock.text(text)));
                draft.isSynthetic = true;
            }
            else {
                for (int i = 0; i < synthetic.size(); i++) {
                    trace.count("synthetic_text_parts_left_out");
                }
            }
            if (compaction) {
                // the request to summarize the history: the summary is the next assistant message
                draft.isMeta = true;
            }
            if (draft.content.isEmpty() && !compaction) {
                trace.count("messages_without_content");
                return;
            }
            trace.add(draft);
        }

        private void assistant(SessionRows.MessageRow message, List<SessionRows.PartRow> parts, Instant created, JsonNode time)
        {
            JsonNode data = message.data();
            String model = JsonFields.nonEmptyText(data, "modelID");
            if (model == null) {
                model = JsonFields.nonEmptyText(data.path("model"), "modelID");
            }
            trace.addModel(model);
            Instant completed = time != null && time.path("completed").canConvertToLong() ? millis(time.get("completed").longValue()) : null;
            trace.seeTimestamp(completed);
            JsonNode error = JsonFields.object(data, "error");
            if (error != null) {
                String name = JsonFields.nonEmptyText(error, "name");
                String text = JsonFields.nonEmptyText(error.path("data"), "message");
                errors.add((name == null ? "error" : name) + (text == null ? "" : ": " + text));
            }
            boolean summary = JsonFields.isTrue(data, "summary") || "compaction".equals(JsonFields.text(data, "mode"))
                    || "compaction".equals(JsonFields.text(data, "agent"));
            Step step = new Step(message, created, model, summary);
            boolean stepUsage = false;
            for (SessionRows.PartRow part : parts) {
                JsonNode partData = part.data();
                String type = JsonFields.text(partData, "type");
                trace.count("part_" + type);
                switch (type == null ? "" : type) {
                    case "step-start" -> step.next();
                    case "text" -> {
                        String text = JsonFields.text(partData, "text");
                        if (text == null || JsonFields.isTrue(partData, "ignored")) {
                            trace.count("ignored_text_parts");
                        }
                        else {
                            step.draft().content.add(ContentBlock.text(text));
                        }
                    }
                    case "reasoning" -> step.draft().addReasoning(JsonFields.text(partData, "text"));
                    case "file" -> step.draft().content.add(file(partData));
                    case "tool" -> step.call(part);
                    case "step-finish" -> {
                        JsonNode tokens = JsonFields.object(partData, "tokens");
                        if (tokens != null) {
                            stepUsage = true;
                            Instant at = part.timeUpdated() != null ? millis(part.timeUpdated()) : completed != null ? completed : created;
                            trace.putUsage(usage(part.id(), message.id(), step.ordinal(), model, at, tokens));
                        }
                        addCost(partData.get("cost"));
                    }
                    default -> {
                        // patch, snapshot, retry, compaction, agent, subtask: counted, no content
                    }
                }
            }
            step.finish();
            JsonNode tokens = JsonFields.object(data, "tokens");
            if (!stepUsage && tokens != null) {
                // no step-finish part: the message's tokens (its last call's) are all there is
                trace.putUsage(usage(message.id(), message.id(), step.lastOrdinal, model, completed != null ? completed : created, tokens));
                addCost(data.get("cost"));
            }
            else if (!stepUsage) {
                addCost(data.get("cost"));
            }
        }

        /** A message of this session: a child session's are a sub-agent's. */
        private MessageDraft draft(Role role)
        {
            MessageDraft draft = new MessageDraft(role);
            draft.isSidechain = session.parentId() != null;
            return draft;
        }

        private void addCost(JsonNode value)
        {
            if (value == null || value.isNull()) {
                return;
            }
            if (!value.isNumber()) {
                trace.count("costs_not_a_number");
                return;
            }
            cost = cost == null ? value.decimalValue() : cost.add(value.decimalValue());
        }

        /** The assistant messages of one OpenCode message: one per model call, each followed by its tool results. */
        private final class Step
        {
            private final SessionRows.MessageRow message;
            private final Instant created;
            private final String model;
            private final boolean summary;
            private final List<SessionRows.PartRow> calls = new ArrayList<>();
            private MessageDraft draft;
            private int ordinal = -1;
            private Integer lastOrdinal;

            Step(SessionRows.MessageRow message, Instant created, String model, boolean summary)
            {
                this.message = message;
                this.created = created;
                this.model = model;
                this.summary = summary;
            }

            MessageDraft draft()
            {
                if (draft == null) {
                    draft = Session.this.draft(Role.ASSISTANT);
                    draft.createdAt = created;
                    draft.lineUuid = message.id();
                    draft.apiMessageId = message.id();
                    draft.model = model;
                    draft.isCompactSummary = summary;
                    ordinal = trace.add(draft);
                    lastOrdinal = ordinal;
                }
                return draft;
            }

            Integer ordinal()
            {
                return draft == null ? lastOrdinal : ordinal;
            }

            void call(SessionRows.PartRow part)
            {
                JsonNode data = part.data();
                JsonNode state = data.path("state");
                String id = JsonFields.nonEmptyText(data, "callID") != null ? JsonFields.text(data, "callID") : part.id();
                String name = JsonFields.nonEmptyText(data, "tool") != null ? JsonFields.text(data, "tool") : "unknown";
                draft();
                JsonNode times = state.path("time");
                trace.addToolCall(id, name, arguments(state.get("input")), times.path("start").canConvertToLong() ? millis(times.get("start").longValue()) : null);
                calls.add(part);
                String child = JsonFields.nonEmptyText(state.path("metadata"), "sessionId");
                if (child != null) {
                    subagentCallIds.put(session.rootSessionId() + ":" + child, id);
                }
            }

            /** A call begins a new assistant message once the current one has said or called something. */
            void next()
            {
                if (draft != null) {
                    finish();
                }
            }

            void finish()
            {
                draft = null;
                for (SessionRows.PartRow part : calls) {
                    result(part);
                }
                calls.clear();
            }

            private void result(SessionRows.PartRow part)
            {
                JsonNode data = part.data();
                JsonNode state = data.path("state");
                String status = JsonFields.text(state, "status");
                String id = JsonFields.nonEmptyText(data, "callID") != null ? JsonFields.text(data, "callID") : part.id();
                if (!FINISHED.contains(status)) {
                    trace.count("unfinished_tool_calls");
                    return;
                }
                boolean failed = "error".equals(status);
                JsonNode output = failed ? state.get("error") : state.get("output");
                String text = output == null || output.isNull() ? "" : output.isTextual() ? output.textValue() : output.toString();
                JsonNode exit = state.path("metadata").get("exit");
                Long exitCode = exit != null && exit.canConvertToLong() ? exit.longValue() : null;
                JsonNode times = state.path("time");
                Double duration = times.path("start").canConvertToLong() && times.path("end").canConvertToLong()
                        ? (times.get("end").longValue() - times.get("start").longValue()) / 1000.0 : null;
                MessageDraft tool = Session.this.draft(Role.TOOL);
                tool.toolCallId = id;
                tool.lineUuid = part.id();
                tool.createdAt = times.path("end").canConvertToLong() ? millis(times.get("end").longValue()) : created;
                tool.content.add(ContentBlock.text(text));
                int resultOrdinal = trace.add(tool);
                trace.seeTimestamp(tool.createdAt);
                trace.addToolResult(id, resultOrdinal, text, failed || exitCode != null && exitCode != 0, exitCode, duration);
            }
        }

        Trace trace()
        {
            trace.seeTimestamp(millis(session.timeCreated()));
            trace.seeTimestamp(millis(session.timeUpdated()));
            SortedMap<String, Object> meta = trace.sourceMeta();
            meta.putAll(session.meta());
            if (!subagentCallIds.isEmpty()) {
                meta.put("subagent_call_ids", new TreeMap<>(subagentCallIds));
            }
            if (session.parentId() != null) {
                meta.put("parent_session_id", session.parentId());
            }
            if (session.parentToolCallId() != null) {
                meta.put("parent_tool_call_id", session.parentToolCallId());
            }
            if (!errors.isEmpty()) {
                meta.put("message_errors", List.copyOf(errors));
            }
            if (cost != null) {
                meta.put("cost_usd", cost);
            }
            boolean child = session.parentId() != null;
            return new Trace(session.traceId(), OpenCodeFormat.ID, sourcePath, session.rootSessionId(), child ? session.id() : null, child,
                    session.cwd(), session.projectPath(), null, trace.startedAt(), trace.endedAt(), trace.messages(), trace.toolCalls(),
                    trace.tokenUsage(), meta, session.title(), null, session.version() == null ? List.of() : List.of(session.version()), trace.models());
        }
    }

    /**
     * A usage row in the warehouse's convention. Current OpenCode stores {@code input} without cache reads and
     * writes and {@code output} without reasoning: reasoning is added to the output. An older build counted reasoning
     * inside {@code output}, which its {@code total} shows: then it is not added again.
     */
    static TokenUsage usage(String responseId, String requestId, Integer ordinal, String model, Instant at, JsonNode tokens)
    {
        long input = Math.max(0, JsonFields.longValue(tokens, "input"));
        long output = Math.max(0, JsonFields.longValue(tokens, "output"));
        long reasoning = Math.max(0, JsonFields.longValue(tokens, "reasoning"));
        JsonNode cache = JsonFields.object(tokens, "cache");
        long read = Math.max(0, JsonFields.longValue(cache, "read"));
        long write = Math.max(0, JsonFields.longValue(cache, "write"));
        JsonNode total = tokens.get("total");
        boolean reasoningInOutput = reasoning > 0 && total != null && total.canConvertToLong() && total.longValue() == input + output + read + write;
        return new TokenUsage(responseId, requestId, ordinal, model, at, input, write, 0, read, reasoningInOutput ? output : output + reasoning, reasoning);
    }

    private static ContentBlock file(JsonNode part)
    {
        String mime = JsonFields.nonEmptyText(part, "mime");
        return new ContentBlock(mime != null && mime.startsWith("image/") ? "image" : "file", null, mime);
    }

    private String arguments(JsonNode input)
    {
        if (input == null || input.isNull() || input.isMissingNode()) {
            return "{}";
        }
        try {
            return mapper.writeValueAsString(input);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree could not be written back", e);
        }
    }

    static Instant millis(Long epochMillis)
    {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
    }
}
