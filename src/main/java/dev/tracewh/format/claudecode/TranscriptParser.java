package dev.tracewh.format.claudecode;

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
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tracewh.format.JsonFields.isTrue;
import static dev.tracewh.format.JsonFields.nonEmptyText;
import static dev.tracewh.format.JsonFields.text;

/**
 * Turns one Claude Code transcript into one trace. Only {@code user} and {@code assistant} lines become
 * messages; {@code tool_result} blocks become {@code tool} messages. Every other line type is counted in
 * {@code source_meta}.
 * <p>
 * All lines of one API response (same {@code message.id} and {@code requestId}) become one assistant message,
 * even when tool results, progress or system lines come between them (2.1.x writes each tool call on its own line
 * and its result right after it): the tool messages that arrive while the response is open follow it, in the order
 * of its calls. A user message (a prompt, a meta or compact-summary line, text beside tool results) or another
 * response closes it; a later line of the same response then starts a new assistant message, because the
 * conversation moved on in between.
 */
final class TranscriptParser
{
    static final String SYNTHETIC_MODEL = "<synthetic>";
    private static final Pattern AGENT_FILE = Pattern.compile("agent-(.+)\\.jsonl");
    private static final Pattern EXIT_CODE = Pattern.compile("^Exit code (-?\\d+)");
    /**
     * Claude Code's structured copy of each tool result: the result block already holds the output, and the copy
     * adds what no trace field needs (an Edit's whole file before the edit). It is a third of real sessions' bytes.
     */
    private static final Set<String> UNREAD_FIELDS = Set.of("toolUseResult");

    /** A tool message waiting for its response to close. */
    private record ToolResult(String toolUseId, MessageDraft draft, boolean isError) {}

    private final Path file;
    private final ObjectMapper mapper;
    private final SessionsIndex index;
    private final JsonLines lines;
    private final LineValues values;
    private final TraceAssembler trace = new TraceAssembler();
    private final List<String> summaries = new ArrayList<>();
    /** Ids of the open response's tool calls, in call order. */
    private final List<String> openCalls = new ArrayList<>();
    /** Tool results that arrived while the response was open, in arrival order. */
    private final List<ToolResult> pendingResults = new ArrayList<>();
    private String sessionId;
    private String agentId;
    private boolean sidechainLines;
    private String cwd;
    private String gitBranch;
    private String slug;
    private String customTitle;
    private String aiTitle;
    /** The current line's timestamp, parsed once. */
    private Instant lineTimestamp;
    /** The assistant message that the next line of the same response extends; null once a user message closes it. */
    private MessageDraft openResponse;

    TranscriptParser(Path file, ObjectMapper mapper, SessionsIndex index, ReadOptions options)
    {
        this.file = file;
        this.mapper = mapper;
        this.index = index;
        this.lines = new JsonLines(mapper, UNREAD_FIELDS, options);
        this.values = new LineValues(lines);
    }

    ParsedFile parse(InputStream input)
            throws IOException
    {
        lines.forEach(input, this::line);
        closeResponse();
        List<Trace> traces = sessionId == null ? List.of() : List.of(buildTrace());
        return new ParsedFile(traces, lines.issues(), lines.consumedBytes(), lines.consumedSha256(), lines.checkpointSha256(),
                lines.replacedCharacters());
    }

    private void line(JsonNode node, Line line)
    {
        String type = text(node, "type");
        trace.countRecordType(type);
        lineTimestamp = values.timestamp(node, "timestamp", line);
        trace.seeTimestamp(lineTimestamp);
        if (sessionId == null) {
            sessionId = nonEmptyText(node, "sessionId");
        }
        if (agentId == null) {
            agentId = nonEmptyText(node, "agentId");
        }
        sidechainLines |= isTrue(node, "isSidechain");
        if (cwd == null) {
            cwd = nonEmptyText(node, "cwd");
        }
        if (gitBranch == null) {
            gitBranch = nonEmptyText(node, "gitBranch");
        }
        if (nonEmptyText(node, "slug") != null) {
            slug = text(node, "slug");
        }
        trace.addVersion(text(node, "version"));
        if (type == null) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "line has no \"type\"");
            return;
        }
        switch (type) {
            case "user" -> user(node, line);
            case "assistant" -> assistant(node, line);
            case "summary" -> {
                String summary = nonEmptyText(node, "summary");
                if (summary != null) {
                    summaries.add(summary);
                }
            }
            case "custom-title" -> customTitle = Objects.requireNonNullElse(nonEmptyText(node, "customTitle"), customTitle);
            case "ai-title" -> aiTitle = Objects.requireNonNullElse(nonEmptyText(node, "aiTitle"), aiTitle);
            case "progress" -> agentProgress(node, line);
            default -> {
                // system, attachment, file-history-snapshot, ...: not messages (counted above)
            }
        }
    }

    private void user(JsonNode node, Line line)
    {
        JsonNode message = JsonFields.object(node, "message");
        JsonNode content = message == null ? null : message.get("content");
        if (content == null || !(content.isTextual() || content.isArray())) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "user line without message.content string or list");
            return;
        }
        MessageDraft draft = draft(Role.USER, node, line);
        if (content.isTextual()) {
            draft.content.add(ContentBlock.text(content.textValue()));
        }
        else {
            // the API puts a line's tool results before its other blocks, so they answer the open response first
            for (JsonNode block : content) {
                if ("tool_result".equals(text(block, "type"))) {
                    toolResult(block, node, line);
                }
                else {
                    ContentBlock converted = contentBlock(block);
                    if (converted != null) {
                        draft.content.add(converted);
                    }
                }
            }
        }
        if (!draft.content.isEmpty()) {
            closeResponse();
            trace.add(draft);
        }
    }

    private void toolResult(JsonNode block, JsonNode node, Line line)
    {
        String toolUseId = text(block, "tool_use_id");
        MessageDraft draft = draft(Role.TOOL, node, line);
        draft.toolCallId = toolUseId;
        JsonNode resultContent = block.get("content");
        if (resultContent != null && resultContent.isTextual()) {
            draft.content.add(ContentBlock.text(resultContent.textValue()));
        }
        else if (resultContent != null && resultContent.isArray()) {
            for (JsonNode item : resultContent) {
                ContentBlock converted = contentBlock(item);
                if (converted != null) {
                    draft.content.add(converted);
                }
            }
        }
        ToolResult result = new ToolResult(toolUseId, draft, isTrue(block, "is_error"));
        if (openResponse != null) {
            pendingResults.add(result);
        }
        else {
            addToolMessage(result);
        }
    }

    private void addToolMessage(ToolResult result)
    {
        int ordinal = trace.add(result.draft());
        if (result.toolUseId() != null) {
            String text = result.draft().build(ordinal).text();
            trace.addToolResult(result.toolUseId(), ordinal, text, result.isError(), result.isError() ? exitCode(text) : null, null);
        }
    }

    /**
     * Ends the open response: the tool messages that arrived meanwhile follow it, its own calls' results in call order,
     * then any others (a late result of an earlier response, a result without a call) as they arrived.
     */
    private void closeResponse()
    {
        pendingResults.sort(Comparator.comparingInt(result -> {
            int call = openCalls.indexOf(result.toolUseId());
            return call < 0 ? Integer.MAX_VALUE : call;
        }));
        pendingResults.forEach(this::addToolMessage);
        pendingResults.clear();
        openCalls.clear();
        openResponse = null;
    }

    private void assistant(JsonNode node, Line line)
    {
        JsonNode message = JsonFields.object(node, "message");
        if (message == null) {
            lines.issue(line, JsonLines.UNEXPECTED_SHAPE, "assistant line without a message object");
            return;
        }
        String apiMessageId = nonEmptyText(message, "id");
        String requestId = nonEmptyText(node, "requestId");
        String model = nonEmptyText(message, "model");
        boolean synthetic = SYNTHETIC_MODEL.equals(model);
        Instant timestamp = lineTimestamp;

        MessageDraft draft = openResponse;
        if (draft == null || apiMessageId == null
                || !apiMessageId.equals(draft.apiMessageId) || !Objects.equals(requestId, draft.requestId)) {
            closeResponse();
            draft = draft(Role.ASSISTANT, node, line);
            draft.apiMessageId = apiMessageId;
            draft.requestId = requestId;
            draft.model = model;
            draft.isSynthetic = synthetic;
            trace.add(draft);
            openResponse = draft;
        }
        if (!synthetic) {
            trace.addModel(model);
        }

        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
            draft.content.add(ContentBlock.text(content.textValue()));
        }
        else if (content != null && content.isArray()) {
            for (JsonNode block : content) {
                assistantBlock(block, draft, timestamp);
            }
        }

        if (!synthetic) {
            putUsage(message, apiMessageId, requestId, trace.lastOrdinal(), model, timestamp, line);
        }
    }

    /**
     * A sub-agent's response that the parent replays in an agent_progress line: its usage without a message (ordinal
     * null). The sub-agent's own file, when loaded, holds the same response (same key) with its message and owns it;
     * without that file these rows are the only record of the sub-agent's tokens.
     */
    private void agentProgress(JsonNode node, Line line)
    {
        JsonNode data = JsonFields.object(node, "data");
        JsonNode replayed = data == null || !"agent_progress".equals(text(data, "type")) ? null : JsonFields.object(data, "message");
        JsonNode message = replayed == null || !"assistant".equals(text(replayed, "type")) ? null : JsonFields.object(replayed, "message");
        if (message == null) {
            return;
        }
        String model = nonEmptyText(message, "model");
        if (SYNTHETIC_MODEL.equals(model)) {
            return;
        }
        Instant timestamp = values.timestamp(replayed, "timestamp", line);
        putUsage(message, nonEmptyText(message, "id"), nonEmptyText(replayed, "requestId"), null, model, timestamp == null ? lineTimestamp : timestamp, line);
    }

    private void putUsage(JsonNode message, String apiMessageId, String requestId, Integer ordinal, String model, Instant timestamp, Line line)
    {
        JsonNode usage = JsonFields.object(message, "usage");
        if (usage != null && apiMessageId != null
                && values.areCounts(usage, line, "input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens")) {
            trace.putUsage(new TokenUsage(apiMessageId, requestId == null ? "" : requestId, ordinal, model, timestamp,
                    JsonFields.longValue(usage, "input_tokens"),
                    JsonFields.longValue(usage, "cache_creation_input_tokens"),
                    JsonFields.longValue(usage, "cache_read_input_tokens"),
                    JsonFields.longValue(usage, "output_tokens"),
                    0));
        }
    }

    private void assistantBlock(JsonNode block, MessageDraft draft, Instant timestamp)
    {
        String type = text(block, "type");
        if ("thinking".equals(type)) {
            draft.addReasoning(text(block, "thinking"));
        }
        else if ("tool_use".equals(type)) {
            String id = nonEmptyText(block, "id");
            if (id == null) {
                trace.count("tool_use_without_id");
                return;
            }
            String name = Objects.requireNonNullElse(text(block, "name"), "");
            JsonNode input = block.get("input");
            trace.addToolCall(id, name, input == null || input.isNull() ? "{}" : input.toString(), timestamp);
            openCalls.add(id);
        }
        else {
            ContentBlock converted = contentBlock(block);
            if (converted != null) {
                draft.content.add(converted);
            }
        }
    }

    /** A text, image or document block; other block types (tool_reference, redacted_thinking, ...) are counted. */
    private ContentBlock contentBlock(JsonNode block)
    {
        String type = text(block, "type");
        if ("text".equals(type)) {
            String text = text(block, "text");
            return text == null ? null : ContentBlock.text(text);
        }
        if ("image".equals(type) || "document".equals(type)) {
            JsonNode source = JsonFields.object(block, "source");
            return new ContentBlock(type, null, source == null ? null : text(source, "media_type"));
        }
        trace.count("other_blocks");
        return null;
    }

    private MessageDraft draft(Role role, JsonNode node, Line line)
    {
        MessageDraft draft = new MessageDraft(role);
        draft.lineNumber = line.number();
        draft.lineUuid = text(node, "uuid");
        draft.parentUuid = text(node, "parentUuid");
        draft.createdAt = lineTimestamp;
        draft.isMeta = isTrue(node, "isMeta");
        draft.isCompactSummary = isTrue(node, "isCompactSummary");
        draft.isSidechain = isTrue(node, "isSidechain");
        return draft;
    }

    /** The code of an "Exit code N" result, or null; one beyond a long stays only in the result's text. */
    private static Long exitCode(String text)
    {
        if (text == null) {
            return null;
        }
        Matcher matcher = EXIT_CODE.matcher(text);
        if (!matcher.find()) {
            return null;
        }
        try {
            return Long.valueOf(matcher.group(1));
        }
        catch (NumberFormatException beyondALong) {
            return null;
        }
    }

    private Trace buildTrace()
    {
        Matcher agentFile = AGENT_FILE.matcher(file.getFileName().toString());
        boolean isSidechain = agentFile.matches() || (agentId != null && sidechainLines);
        String traceAgentId = agentFile.matches() ? agentFile.group(1) : (isSidechain ? agentId : null);
        String traceId = isSidechain && traceAgentId != null ? sessionId + ":" + traceAgentId : sessionId;

        SessionsIndex.Entry indexEntry = isSidechain ? null : index.find(sessionId).orElse(null);
        String projectPath = indexEntry != null && indexEntry.projectPath() != null ? indexEntry.projectPath() : cwd;
        String summary = !summaries.isEmpty() ? summaries.getLast() : indexEntry == null ? null : indexEntry.summary();
        String title = customTitle != null ? customTitle
                : aiTitle != null ? aiTitle
                : indexEntry != null && indexEntry.customTitle() != null ? indexEntry.customTitle()
                : summary;

        SortedMap<String, Object> meta = trace.sourceMeta();
        if (slug != null) {
            meta.put("slug", slug);
        }
        if (summaries.size() > 1) {
            meta.put("summaries", List.copyOf(summaries));
        }
        if (indexEntry != null && indexEntry.firstPrompt() != null) {
            meta.put("first_prompt", indexEntry.firstPrompt());
        }

        return new Trace(traceId, ClaudeCodeFormat.ID, file.toString(), sessionId, traceAgentId, isSidechain,
                cwd, projectPath, gitBranch, trace.startedAt(), trace.endedAt(),
                trace.messages(), trace.toolCalls(), trace.tokenUsage(), meta,
                title, summary, trace.versions(), trace.models());
    }
}
