package dev.tracewh.format.codex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.LineValues;
import dev.tracewh.format.MessageDraft;
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
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tracewh.format.JsonFields.nonEmptyText;
import static dev.tracewh.format.JsonFields.text;
import static java.util.Objects.requireNonNull;

/**
 * Turns one Codex rollout into one trace. Two layouts: the {@code {timestamp, type, payload}} envelope (Sep 2025 on)
 * and the earlier bare layout (a header {@code {id, timestamp, instructions, git}}, then unwrapped response items
 * and {@code record_type} state lines, with no per-line timestamps and no token counts).
 * <p>
 * The reasoning, messages and tool calls of one model response become one assistant message, which any
 * non-assistant message closes. Messages come from {@code response_item}s only: the {@code event_msg} copies
 * ({@code user_message}, {@code agent_message}, {@code agent_reasoning}) are counted, not added again.
 * Token usage comes from {@code token_count} events; a repeated cumulative total is not a new response.
 * A fork names itself in its first {@code session_meta}, then replays its parent's file, parent's
 * {@code session_meta} included; a sub-agent's rollout is a sidechain of the thread that spawned it.
 * The first {@code session_meta} (or bare header) also gives the start: its own timestamp, the thread's creation.
 * A rollout without one (written by a tool, or its head cut off) is named by the thread id in its file name.
 */
final class RolloutParser
{
    private static final String ENVIRONMENT_CONTEXT = "<environment_context>";
    private static final List<String> INJECTED_CONTEXT_PREFIXES = List.of(
            ENVIRONMENT_CONTEXT, "<user_instructions>", "# AGENTS.md instructions for ");
    /** The record types read here; their payload must be an object. */
    private static final Set<String> PAYLOAD_TYPES = Set.of("session_meta", "turn_context", "response_item", "event_msg", "compacted");
    private static final Pattern ENVIRONMENT_CWD = Pattern.compile("<cwd>([^<]+)</cwd>");
    /** The counts of a token_count usage object that make a usage row or its key. */
    private static final String[] USAGE_COUNTS = {"input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens"};

    private enum Layout
    {
        ENVELOPE, BARE
    }

    /** The identity fields of a {@code session_meta} payload or a bare-layout header. */
    private record SessionMeta(
            String id,
            String cwd,
            String gitBranch,
            String originator,
            String cliVersion,
            String modelProvider,
            JsonNode source,
            String forkedFromId)
    {
        static SessionMeta of(JsonNode node)
        {
            JsonNode git = JsonFields.object(node, "git");
            JsonNode source = node.get("source");
            return new SessionMeta(
                    nonEmptyText(node, "id"),
                    nonEmptyText(node, "cwd"),
                    git == null ? null : nonEmptyText(git, "branch"),
                    nonEmptyText(node, "originator"),
                    nonEmptyText(node, "cli_version"),
                    nonEmptyText(node, "model_provider"),
                    source == null || source.isNull() ? null : source,
                    nonEmptyText(node, "forked_from_id"));
        }

        /** A rollout without a session_meta or header: nothing about the thread is known. */
        static final SessionMeta NONE = new SessionMeta(null, null, null, null, null, null, null, null);

        /** Sub-agent rollouts have an object source: {"subagent": "review"} or {"subagent": {"thread_spawn": {…}}}. */
        JsonNode subagent()
        {
            return source != null && source.isObject() ? source.get("subagent") : null;
        }

        String parentThreadId()
        {
            JsonNode spawn = JsonFields.object(subagent(), "thread_spawn");
            return spawn == null ? null : nonEmptyText(spawn, "parent_thread_id");
        }
    }

    private final Path file;
    /** The thread id in the file's name, or null when Codex did not name the file. */
    private final String fileNameId;
    private final ObjectMapper mapper;
    private final JsonLines lines;
    private final LineValues values;
    private final TraceAssembler trace = new TraceAssembler();
    private final List<String> replayedSessionIds = new ArrayList<>();
    private Layout layout;
    /** The first session_meta (or the bare header) was seen: only it names the file's session. */
    private boolean identitySeen;
    private SessionMeta identity = SessionMeta.NONE;
    /** The first session_meta's payload timestamp (else its line's), or the bare header's: when the thread was created. */
    private Instant createdAt;
    private boolean isSidechain;
    /**
     * Id of the latest session_meta (before any, the file name's): a fork replays its parent's lines after the
     * parent's own session_meta, so in every file of a fork lineage this ends as the id of its first thread, and
     * cumulative totals keep growing.
     */
    private String effectiveSessionId;
    private String model;
    /** The working directory of the first turn_context or environment block, for headers that lack one. */
    private String contextCwd;
    /** The assistant message of the current model response; null once another role's message follows. */
    private MessageDraft openResponse;
    private Integer lastAssistantOrdinal;
    private JsonNode previousTotalUsage;

    RolloutParser(Path file, ObjectMapper mapper, ReadOptions options)
    {
        this.file = requireNonNull(file, "file is null");
        this.fileNameId = CodexFormat.fileNameThreadId(file);
        this.effectiveSessionId = fileNameId;
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.lines = new JsonLines(mapper, options);
        this.values = new LineValues(lines);
    }

    ParsedFile parse(InputStream input)
            throws IOException
    {
        lines.forEach(input, this::line);
        closeResponse();
        String sessionId = sessionId();
        // a file with no readable line is no trace, whatever its name
        List<Trace> traces = layout == null || sessionId == null ? List.of() : List.of(buildTrace(sessionId));
        return new ParsedFile(traces, lines.issues(), lines.consumedBytes(), lines.consumedSha256(), lines.checkpointSha256(),
                lines.replacedCharacters());
    }

    private void line(JsonNode node, Line line)
    {
        if (layout == null) {
            layout = detectLayout(node);
            if (layout == null) {
                lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "neither a {timestamp, type, payload} line nor a bare session header or item");
                return;
            }
        }
        if (layout == Layout.ENVELOPE) {
            envelopeLine(node, line);
        }
        else {
            bareLine(node, line);
        }
    }

    private static Layout detectLayout(JsonNode node)
    {
        if (node.has("type") && node.has("payload")) {
            return Layout.ENVELOPE;
        }
        if (node.has("id") || node.has("type") || node.has("record_type")) {
            return Layout.BARE;
        }
        return null;
    }

    private void envelopeLine(JsonNode node, Line line)
    {
        String type = text(node, "type");
        JsonNode payload = node.get("payload");
        Instant timestamp = values.timestamp(node, "timestamp", line);
        trace.seeTimestamp(timestamp);
        boolean nested = "response_item".equals(type) || "event_msg".equals(type);
        trace.countRecordType(nested && payload != null && payload.isObject()
                ? type + "/" + Objects.requireNonNullElse(text(payload, "type"), "(none)")
                : type);
        if (type == null) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "line has no \"type\"");
            return;
        }
        if (PAYLOAD_TYPES.contains(type) && (payload == null || !payload.isObject())) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, type + " line without a payload object");
            return;
        }
        switch (type) {
            case "session_meta" -> sessionMeta(payload, line, timestamp);
            case "turn_context" -> turnContext(payload);
            case "response_item" -> responseItem(payload, line, timestamp);
            case "event_msg" -> event(payload, line, timestamp);
            case "compacted" -> compacted(payload, line, timestamp);
            default -> {
                // inter_agent_communication, world_state, …: newer record types, counted above
            }
        }
    }

    private void bareLine(JsonNode node, Line line)
    {
        if (node.has("record_type")) {
            // state snapshots (previous_response_id); any other record_type value is skipped alike
            trace.countRecordType("record_type/" + text(node, "record_type"));
            return;
        }
        String type = text(node, "type");
        if (type != null) {
            trace.countRecordType("response_item/" + type);
            responseItem(node, line, null);
            return;
        }
        if (!identitySeen && node.has("id")) {
            trace.countRecordType("session_header");
            Instant timestamp = values.timestamp(node, "timestamp", line);
            trace.seeTimestamp(timestamp);
            identity(SessionMeta.of(node), timestamp, line, "session header");
            return;
        }
        lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "bare-layout line is neither the session header, a response item nor a state line");
    }

    private void sessionMeta(JsonNode payload, Line line, Instant lineTimestamp)
    {
        if (!identitySeen) {
            Instant created = values.timestamp(payload, "timestamp", line);
            // without the creation time, the line's own: a fork's earliest lines are its parent's, replayed
            identity(SessionMeta.of(payload), created != null ? created : lineTimestamp, line, "session_meta");
            return;
        }
        String id = nonEmptyText(payload, "id");
        if (id != null) {
            // a fork's copy of its parent's history starts here
            replayedSessionIds.add(id);
            effectiveSessionId = id;
        }
    }

    private void identity(SessionMeta meta, Instant timestamp, Line line, String what)
    {
        identitySeen = true;
        identity = meta;
        createdAt = timestamp;
        if (meta.id() == null) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, what + " without an id");
        }
        else {
            effectiveSessionId = meta.id();
        }
        isSidechain = meta.subagent() != null;
        trace.addVersion(meta.cliVersion());
    }

    private void turnContext(JsonNode payload)
    {
        String turnModel = nonEmptyText(payload, "model");
        if (turnModel != null) {
            model = turnModel;
            trace.addModel(turnModel);
        }
        if (contextCwd == null) {
            contextCwd = nonEmptyText(payload, "cwd");
        }
    }

    private void responseItem(JsonNode item, Line line, Instant timestamp)
    {
        String type = text(item, "type");
        if (type == null) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "response item without a type");
            return;
        }
        switch (type) {
            case "message" -> message(item, line, timestamp);
            case "reasoning" -> reasoning(item, line, timestamp);
            case "function_call", "custom_tool_call", "local_shell_call" -> toolCall(type, item, line, timestamp);
            case "function_call_output", "custom_tool_call_output" -> toolResult(item, line, timestamp);
            default -> {
                // web_search_call (no call id, no output), ghost_snapshot, compaction, …: counted only
            }
        }
    }

    private void message(JsonNode item, Line line, Instant timestamp)
    {
        String role = text(item, "role");
        JsonNode content = item.get("content");
        if (role == null || content == null || !(content.isArray() || content.isTextual())) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "message without a role or a content list");
            return;
        }
        switch (role) {
            case "assistant" -> addContent(currentResponse(line, timestamp), content);
            case "user" -> {
                MessageDraft draft = startMessage(Role.USER, line, timestamp);
                addContent(draft, content);
                draft.isMeta = isInjectedContext(draft);
                if (contextCwd == null && draft.isMeta) {
                    contextCwd = environmentCwd(draft.content.getFirst().text());
                }
                trace.add(draft);
            }
            case "developer", "system" -> {
                MessageDraft draft = startMessage(Role.SYSTEM, line, timestamp);
                addContent(draft, content);
                trace.add(draft);
            }
            default -> lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "message with unknown role \"" + role + "\"");
        }
    }

    private void addContent(MessageDraft draft, JsonNode content)
    {
        if (content.isTextual()) {
            draft.content.add(ContentBlock.text(content.textValue()));
            return;
        }
        for (JsonNode part : content) {
            ContentBlock block = ContentItems.toBlock(part);
            if (block == null) {
                trace.count("other_blocks");
            }
            else {
                draft.content.add(block);
            }
        }
    }

    /** AGENTS.md, user instructions and the environment block arrive as user messages but are not prompts. */
    private static boolean isInjectedContext(MessageDraft draft)
    {
        if (draft.content.isEmpty() || !draft.content.getFirst().isText()) {
            return false;
        }
        String text = draft.content.getFirst().text();
        return INJECTED_CONTEXT_PREFIXES.stream().anyMatch(text::startsWith);
    }

    /** Early bare headers have no cwd; the injected {@code <environment_context>} block names it. */
    private static String environmentCwd(String text)
    {
        if (!text.startsWith(ENVIRONMENT_CONTEXT)) {
            return null;
        }
        Matcher cwd = ENVIRONMENT_CWD.matcher(text);
        return cwd.find() ? cwd.group(1).strip() : null;
    }

    private void reasoning(JsonNode item, Line line, Instant timestamp)
    {
        List<String> texts = reasoningTexts(item.get("summary"));
        if (texts.isEmpty()) {
            // raw chain of thought: written only for open-source models, which give no summary
            texts = reasoningTexts(item.get("content"));
        }
        if (texts.isEmpty()) {
            // encrypted only: nothing to keep, and no reason to start a message for it
            return;
        }
        MessageDraft draft = currentResponse(line, timestamp);
        texts.forEach(draft::addReasoning);
    }

    private static List<String> reasoningTexts(JsonNode parts)
    {
        List<String> texts = new ArrayList<>();
        if (parts != null && parts.isArray()) {
            for (JsonNode part : parts) {
                String text = nonEmptyText(part, "text");
                if (text != null) {
                    texts.add(text);
                }
            }
        }
        return texts;
    }

    private void toolCall(String type, JsonNode item, Line line, Instant timestamp)
    {
        String callId = nonEmptyText(item, "call_id");
        if (callId == null) {
            if ("local_shell_call".equals(type)) {
                // call_id is optional for local_shell_call: without it no output can be paired
                trace.count("tool_calls_without_id");
            }
            else {
                lines.issue(line, JsonLines.UNEXPECTED_SHAPE, type + " without a call_id");
            }
            return;
        }
        String name;
        String arguments;
        switch (type) {
            case "function_call" -> {
                name = text(item, "name");
                JsonNode value = item.get("arguments");
                // already JSON text; an object (never seen) is serialized
                arguments = value == null || value.isNull() ? "{}" : value.isTextual() ? value.textValue() : value.toString();
            }
            case "custom_tool_call" -> {
                name = text(item, "name");
                // free-form input (an apply_patch envelope), wrapped so that arguments stay JSON text
                JsonNode input = item.get("input");
                arguments = input == null ? "{}" : mapper.createObjectNode().set("input", input).toString();
            }
            default -> {
                name = "local_shell";
                JsonNode action = JsonFields.object(item, "action");
                arguments = action == null ? "{}" : action.toString();
            }
        }
        currentResponse(line, timestamp);
        trace.addToolCall(callId, Objects.requireNonNullElse(name, ""), arguments, timestamp);
    }

    private void toolResult(JsonNode item, Line line, Instant timestamp)
    {
        String callId = nonEmptyText(item, "call_id");
        if (callId == null) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "tool output without a call_id");
            return;
        }
        ToolOutput output = ToolOutput.decode(item.get("output"), mapper);
        MessageDraft draft = startMessage(Role.TOOL, line, timestamp);
        draft.toolCallId = callId;
        draft.content.addAll(output.content());
        int ordinal = trace.add(draft);
        trace.addToolResult(callId, ordinal, output.resultText(), output.isError(), output.exitCode(), output.durationSeconds());
    }

    private void event(JsonNode payload, Line line, Instant timestamp)
    {
        if ("token_count".equals(text(payload, "type"))) {
            tokenCount(payload, line, timestamp);
        }
        // other events are counted only: user_message, agent_message and agent_reasoning copy response items
    }

    private void tokenCount(JsonNode payload, Line line, Instant timestamp)
    {
        JsonNode info = JsonFields.object(payload, "info");
        if (info == null) {
            // rate limits only
            return;
        }
        JsonNode total = JsonFields.object(info, "total_token_usage");
        if (total == null) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "token_count info without total_token_usage");
            return;
        }
        if (total.equals(previousTotalUsage)) {
            trace.count("repeated_token_counts");
            return;
        }
        JsonNode last = JsonFields.object(info, "last_token_usage");
        // both, so that each bad count is an issue; a bad total is not kept as the base of the next growth either
        if (!values.areCounts(total, line, USAGE_COUNTS) | !values.areCounts(last, line, USAGE_COUNTS)) {
            return;
        }
        long input = usage(last, total, "input_tokens");
        long cached = usage(last, total, "cached_input_tokens");
        long output = usage(last, total, "output_tokens");
        long reasoning = usage(last, total, "reasoning_output_tokens");
        previousTotalUsage = total;
        // The cumulative total, prefixed by the latest session_meta's id, identifies the response: a fork copies
        // the line together with its parent's session_meta, so both files give the response the same key.
        String responseId = Objects.requireNonNullElse(effectiveSessionId, "") + ":" + totalTokens(total);
        trace.putUsage(new TokenUsage(responseId, "", lastAssistantOrdinal, model, timestamp,
                input - cached, 0, 0, cached, output, reasoning));
    }

    /** The response's own usage: {@code last_token_usage}, else the growth of the cumulative total. */
    private long usage(JsonNode last, JsonNode total, String field)
    {
        if (last != null) {
            return JsonFields.longValue(last, field);
        }
        return JsonFields.longValue(total, field) - JsonFields.longValue(previousTotalUsage, field);
    }

    private static long totalTokens(JsonNode usage)
    {
        return usage.has("total_tokens")
                ? JsonFields.longValue(usage, "total_tokens")
                : JsonFields.longValue(usage, "input_tokens") + JsonFields.longValue(usage, "output_tokens");
    }

    private void compacted(JsonNode payload, Line line, Instant timestamp)
    {
        String summary = nonEmptyText(payload, "message");
        if (summary == null) {
            // remote compaction: only replacement_history, a copy of earlier messages
            closeResponse();
            return;
        }
        MessageDraft draft = startMessage(Role.USER, line, timestamp);
        draft.isCompactSummary = true;
        draft.content.add(ContentBlock.text(summary));
        trace.add(draft);
    }

    /** The open assistant message of the current response, started if there is none. */
    private MessageDraft currentResponse(Line line, Instant timestamp)
    {
        if (openResponse == null) {
            openResponse = draft(Role.ASSISTANT, line, timestamp);
            openResponse.model = model;
            lastAssistantOrdinal = trace.add(openResponse);
        }
        return openResponse;
    }

    /** A new message of a non-assistant role; it ends the current response. */
    private MessageDraft startMessage(Role role, Line line, Instant timestamp)
    {
        closeResponse();
        return draft(role, line, timestamp);
    }

    /**
     * Reasoning with no output after it (an interrupted turn) stays an assistant message of its own, with
     * reasoning and no content: it never moves on to the next response.
     */
    private void closeResponse()
    {
        if (openResponse != null && openResponse.content.isEmpty() && openResponse.toolCallCount == 0 && openResponse.hasReasoning()) {
            trace.count("reasoning_only_responses");
        }
        openResponse = null;
    }

    private MessageDraft draft(Role role, Line line, Instant timestamp)
    {
        MessageDraft draft = new MessageDraft(role);
        draft.lineNumber = line.number();
        draft.createdAt = timestamp;
        draft.isSidechain = isSidechain;
        return draft;
    }

    /** The first session_meta's id, else the file name's (Codex names each rollout after its thread). */
    private String sessionId()
    {
        return identity.id() != null ? identity.id() : fileNameId;
    }

    private Trace buildTrace(String sessionId)
    {
        String parentThreadId = identity.parentThreadId();
        String cwd = identity.cwd() != null ? identity.cwd() : contextCwd;
        SortedMap<String, Object> meta = trace.sourceMeta();
        meta.put("layout", layout == Layout.ENVELOPE ? "envelope" : "bare");
        if (identity.id() == null) {
            meta.put("session_id_from", "file_name");
        }
        putIfPresent(meta, "originator", identity.originator());
        putIfPresent(meta, "cli_version", identity.cliVersion());
        putIfPresent(meta, "model_provider", identity.modelProvider());
        putIfPresent(meta, "forked_from_id", identity.forkedFromId());
        putIfPresent(meta, "parent_thread_id", parentThreadId);
        if (identity.source() != null) {
            meta.put("source", mapper.convertValue(identity.source(), Object.class));
        }
        if (!replayedSessionIds.isEmpty()) {
            meta.put("replayed_session_ids", List.copyOf(replayedSessionIds));
        }
        if (CodexFormat.isCompressed(file)) {
            meta.put("compressed", true);
        }
        // a sub-agent is its own thread; its parent thread is the closest root the file names
        String rootSessionId = isSidechain && parentThreadId != null ? parentThreadId : sessionId;
        // the thread's creation, seconds before its first line; a file without one starts at its earliest line
        Instant startedAt = createdAt != null ? createdAt : trace.startedAt();
        return new Trace(sessionId, CodexFormat.ID, file.toString(), rootSessionId, isSidechain ? sessionId : null, isSidechain,
                cwd, cwd, identity.gitBranch(), startedAt, trace.endedAt(),
                trace.messages(), trace.toolCalls(), trace.tokenUsage(), meta,
                null, null, trace.versions(), trace.models());
    }

    private static void putIfPresent(SortedMap<String, Object> meta, String key, String value)
    {
        if (value != null) {
            meta.put(key, value);
        }
    }
}
