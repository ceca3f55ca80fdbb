package dev.tracewh.format.geminicli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.MessageDraft;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.WholeDocument;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

import static dev.tracewh.format.JsonFields.nonEmptyText;
import static dev.tracewh.format.JsonFields.text;
import static java.util.Objects.requireNonNull;

/**
 * Turns one Gemini CLI conversation file into one trace. A {@code .json} file (up to v0.38) is one document, rewritten
 * whole on every save; a {@code .jsonl} file (v0.39 on) is replayed as the CLI's {@code loadConversationRecord} does:
 * a repeated message id replaces the earlier copy in its first place, {@code $rewindTo} removes that message and
 * everything inserted after it, {@code $set} merges metadata and {@code $set.messages} replaces the list. Messages a
 * rewind or a replaced list removed stay stored off the active path, one branch number per removal.
 */
final class GeminiSessionParser
{
    static final String NOT_A_CONVERSATION = "not_a_conversation";

    /** One stay of a message id in the conversation: its last copy, the line that wrote it, its branch once removed. */
    private static final class Instance
    {
        final String id;
        JsonNode record;
        long line;
        int branch;

        Instance(String id, JsonNode record, long line)
        {
            this.id = id;
            this.record = record;
            this.line = line;
        }
    }

    private final Path file;
    private final ObjectMapper mapper;
    private final ReadOptions options;
    private final GeminiFormat.Place place;
    private final TraceAssembler trace = new TraceAssembler();
    private final List<ParseIssue> issues = new ArrayList<>();
    private final List<Instance> instances = new ArrayList<>();
    private final Map<String, Instance> live = new LinkedHashMap<>();
    private final ObjectNode metadata;
    private boolean sawMetadata;
    private int removals;
    private int syntheticCallIds;

    GeminiSessionParser(Path file, ObjectMapper mapper, ReadOptions options, GeminiFormat.Place place)
    {
        this.file = requireNonNull(file, "file is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.options = requireNonNull(options, "options is null");
        this.place = requireNonNull(place, "place is null");
        this.metadata = mapper.createObjectNode();
    }

    ParsedFile parseLines(InputStream input)
            throws IOException
    {
        JsonLines lines = new JsonLines(mapper, options);
        lines.forEach(input, this::line);
        List<ParseIssue> all = new ArrayList<>(lines.issues());
        all.addAll(issues);
        all.sort((a, b) -> Long.compare(a.lineNumber(), b.lineNumber()));
        issues.clear();
        issues.addAll(all);
        trace.count("layout_jsonl");
        return new ParsedFile(traces(1), issues, lines.consumedBytes(), lines.consumedSha256(), lines.checkpointSha256(), lines.replacedCharacters());
    }

    ParsedFile parseDocument(InputStream input)
            throws IOException
    {
        WholeDocument whole = WholeDocument.read(input, options);
        if (whole.tooLarge()) {
            return whole.tooLargeFile("the document", options, issues);
        }
        byte[] bytes = whole.bytes();
        trace.count("layout_json");
        document(bytes);
        return new ParsedFile(traces(1), issues, whole.consumedBytes(), whole.consumedSha256(), whole.checkpointSha256(), whole.replacedCharacters());
    }

    /** The legacy document: metadata, then each message located at the line its object starts on. */
    private void document(byte[] bytes)
            throws IOException
    {
        ObjectReader valueReader = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                issues.add(new ParseIssue(1, JsonLines.NOT_AN_OBJECT, "expected a Gemini CLI conversation (a JSON object)", null));
                return;
            }
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if ("messages".equals(name) && token == JsonToken.START_ARRAY) {
                    sawMetadata = true;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        long line = parser.currentTokenLocation().getLineNr();
                        JsonNode message = valueReader.readTree(parser);
                        message(message == null ? NullNode.getInstance() : message, line);
                    }
                }
                else {
                    JsonNode value = valueReader.readTree(parser);
                    metadata.set(name, value == null ? NullNode.getInstance() : value);
                }
            }
            if (parser.nextToken() != null) {
                issues.add(new ParseIssue(parser.currentTokenLocation().getLineNr(), JsonLines.INVALID_JSON, "trailing content after the document", null));
            }
        }
        catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            issues.add(new ParseIssue(line, JsonLines.INVALID_JSON, e.getOriginalMessage(), null));
        }
        if (metadata.has("sessionId")) {
            sawMetadata = true;
        }
    }

    private void line(JsonNode node, Line line)
    {
        long number = line.number();
        if (node.has("$rewindTo")) {
            trace.countRecordType("$rewindTo");
            rewindTo(text(node, "$rewindTo"));
        }
        else if (node.has("$set")) {
            trace.countRecordType("$set");
            JsonNode set = JsonFields.object(node, "$set");
            if (set == null) {
                issue(number, node, "$set is not an object: ignored");
                return;
            }
            set.properties().forEach(field -> {
                if (!"messages".equals(field.getKey())) {
                    metadata.set(field.getKey(), field.getValue());
                }
            });
            JsonNode messages = set.get("messages");
            if (messages != null && messages.isArray()) {
                trace.count("message_list_replacements");
                replaceMessages(messages, number);
            }
        }
        else if (node.has("id") && node.has("type")) {
            trace.countRecordType("message");
            message(node, number);
        }
        else if (node.has("sessionId") && node.has("projectHash")) {
            trace.countRecordType("metadata");
            sawMetadata = true;
            node.properties().forEach(field -> {
                if (!"messages".equals(field.getKey())) {
                    metadata.set(field.getKey(), field.getValue());
                }
            });
            // a legacy whole-file record on one line brings its messages
            JsonNode messages = node.get("messages");
            if (messages != null && messages.isArray()) {
                replaceMessages(messages, number);
            }
        }
        else {
            trace.countRecordType("(unknown)");
            issue(number, node, "neither a message, a $set, a $rewindTo nor the conversation's metadata: ignored");
        }
    }

    /** A message copy: the last copy of an id wins and keeps the place of the first. */
    private void message(JsonNode node, long line)
    {
        String id = node.isObject() ? nonEmptyText(node, "id") : null;
        if (id == null || text(node, "type") == null) {
            issue(line, node, "message without an id or a type: skipped");
            return;
        }
        Instance instance = live.get(id);
        if (instance == null) {
            instance = new Instance(id, node, line);
            instances.add(instance);
            live.put(id, instance);
        }
        else {
            trace.count("repeated_message_copies");
            instance.record = node;
            instance.line = line;
        }
    }

    /** Removes {@code id} and every message inserted after it; an unknown id removes them all, as the CLI does. */
    private void rewindTo(String id)
    {
        List<Instance> removed = new ArrayList<>();
        boolean found = id != null && live.containsKey(id);
        boolean removing = !found;
        for (Instance instance : live.values()) {
            removing |= instance.id.equals(id);
            if (removing) {
                removed.add(instance);
            }
        }
        remove(removed);
    }

    /** A checkpoint: the list is rebuilt from {@code messages}; ids it lists again are the same messages. */
    private void replaceMessages(JsonNode messages, long line)
    {
        Map<String, Instance> previous = new LinkedHashMap<>(live);
        live.clear();
        for (JsonNode message : messages) {
            String id = message.isObject() ? nonEmptyText(message, "id") : null;
            Instance kept = id == null ? null : previous.remove(id);
            if (kept != null) {
                kept.record = message;
                live.put(id, kept);
            }
            else {
                message(message, line);
            }
        }
        remove(new ArrayList<>(previous.values()));
    }

    private void remove(List<Instance> removed)
    {
        if (removed.isEmpty()) {
            return;
        }
        removals++;
        for (Instance instance : removed) {
            live.remove(instance.id);
            instance.branch = removals;
        }
    }

    private List<Trace> traces(long metadataLine)
    {
        String sessionId = nonEmptyText(metadata, "sessionId");
        if (!sawMetadata || sessionId == null) {
            issues.addFirst(new ParseIssue(metadataLine, NOT_A_CONVERSATION, "no conversation metadata with a sessionId: not a Gemini CLI session, file skipped", null));
            return List.of();
        }
        for (Instance instance : instances) {
            emit(instance, sessionId);
        }
        Instant start = JsonFields.instant(text(metadata, "startTime"));
        Instant lastUpdated = JsonFields.instant(text(metadata, "lastUpdated"));
        trace.seeTimestamp(start);
        trace.seeTimestamp(lastUpdated);
        SortedMap<String, Object> meta = trace.sourceMeta();
        putText(meta, "project_hash", metadata, "projectHash");
        putText(meta, "kind", metadata, "kind");
        if (removals > 0) {
            meta.put("removed_message_groups", (long) removals);
        }
        JsonNode directories = metadata.get("directories");
        if (directories != null && directories.isArray() && !directories.isEmpty()) {
            List<String> folders = new ArrayList<>();
            directories.forEach(folder -> folders.add(folder.asText()));
            meta.put("directories", folders);
        }
        String parent = place.parentSessionId();
        boolean subAgent = parent != null || "subagent".equals(text(metadata, "kind"));
        String traceId = parent != null && !parent.equals(sessionId) ? parent + ":" + sessionId : sessionId;
        String root = parent != null ? parent : sessionId;
        String projectPath = place.projectPath(text(metadata, "projectHash"));
        return List.of(new Trace(traceId, GeminiFormat.ID, file.toString(), root, subAgent ? sessionId : null, subAgent, projectPath, projectPath, null,
                start != null ? start : trace.startedAt(), trace.endedAt(), trace.messages(), trace.toolCalls(), trace.tokenUsage(), meta,
                null, nonEmptyText(metadata, "summary"), List.of(), trace.models()));
    }

    private void emit(Instance instance, String sessionId)
    {
        JsonNode node = instance.record;
        String type = text(node, "type");
        Instant timestamp = JsonFields.instant(text(node, "timestamp"));
        trace.seeTimestamp(timestamp);
        switch (type) {
            case "user" -> user(instance, timestamp);
            case "gemini" -> gemini(instance, timestamp, sessionId);
            case "info", "error", "warning" -> trace.count(type + "_notices");
            default -> issue(instance.line, node, "message of unknown type \"" + type + "\": skipped");
        }
    }

    private void user(Instance instance, Instant timestamp)
    {
        JsonNode content = instance.record.get("content");
        // v0.44 on, tool results are also recorded as a user message of functionResponse parts: taken from the calls
        if (content != null && content.isArray() && !content.isEmpty() && allFunctionResponses(content)) {
            trace.count("tool_response_user_messages");
            return;
        }
        MessageDraft draft = draft(Role.USER, instance, timestamp);
        addParts(draft, content);
        trace.add(draft);
    }

    private void gemini(Instance instance, Instant timestamp, String sessionId)
    {
        JsonNode node = instance.record;
        MessageDraft draft = draft(Role.ASSISTANT, instance, timestamp);
        draft.model = nonEmptyText(node, "model");
        draft.apiMessageId = instance.id;
        trace.addModel(draft.model);
        JsonNode thoughts = node.get("thoughts");
        if (thoughts != null && thoughts.isArray()) {
            for (JsonNode thought : thoughts) {
                String subject = nonEmptyText(thought, "subject");
                String description = text(thought, "description");
                draft.addReasoning(subject == null ? description : description == null ? subject : subject + "\n" + description);
            }
        }
        addParts(draft, node.get("content"));
        int ordinal = trace.add(draft);
        JsonNode calls = node.get("toolCalls");
        List<Runnable> results = new ArrayList<>();
        if (calls != null && calls.isArray()) {
            for (JsonNode call : calls) {
                toolCall(instance, call, timestamp, results);
            }
        }
        results.forEach(Runnable::run);
        JsonNode tokens = JsonFields.object(node, "tokens");
        if (tokens != null) {
            usage(instance, tokens, ordinal, draft.model, timestamp, sessionId);
        }
    }

    private void toolCall(Instance instance, JsonNode call, Instant messageTime, List<Runnable> results)
    {
        if (!call.isObject()) {
            issue(instance.line, call, "a tool call that is not an object: skipped");
            return;
        }
        String id = nonEmptyText(call, "id");
        if (id == null) {
            // old records may lack the id: one made from the message keeps the pair together
            id = instance.id + ":call:" + syntheticCallIds++;
            trace.count("synthesized_tool_call_ids");
        }
        String name = text(call, "name");
        JsonNode args = call.get("args");
        Instant calledAt = JsonFields.instant(text(call, "timestamp"));
        Instant at = calledAt != null ? calledAt : messageTime;
        trace.seeTimestamp(calledAt);
        trace.addToolCall(id, name == null ? "" : name, args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString(), at);
        String status = text(call, "status");
        trace.count("tool_status_" + (status == null ? "none" : status));
        JsonNode result = call.get("result");
        if (result == null || result.isNull() || (result.isArray() && result.isEmpty())) {
            return;
        }
        String callId = id;
        results.add(() -> {
            MessageDraft draft = draft(Role.TOOL, instance, at);
            // the result has no record of its own: the message id stays with the assistant message
            draft.lineUuid = null;
            draft.toolCallId = callId;
            boolean error = "error".equals(status);
            StringBuilder text = new StringBuilder();
            for (JsonNode part : result.isArray() ? result : List.of(result)) {
                JsonNode response = part.path("functionResponse").path("response");
                if (response.isObject()) {
                    JsonNode value = response.has("output") ? response.get("output") : response.has("error") ? response.get("error") : response;
                    error |= response.has("error") && !response.has("output");
                    append(text, value.isTextual() ? value.asText() : value.toString());
                }
                else if (part.isTextual()) {
                    append(text, part.asText());
                }
                else if (part.has("text")) {
                    append(text, part.path("text").asText());
                }
                else if (part.has("inlineData")) {
                    draft.content.add(new ContentBlock("image", null, text(part.get("inlineData"), "mimeType")));
                }
            }
            if (!text.isEmpty()) {
                draft.content.addFirst(ContentBlock.text(text.toString()));
            }
            int ordinal = trace.add(draft);
            trace.addToolResult(callId, ordinal, text.toString(), status == null ? null : error, null, null);
        });
    }

    /**
     * {@code input} includes the cached part, {@code thoughts} and {@code tool} come on top of {@code output} and
     * {@code input}: stored input = input - cached + tool (tool-use prompt tokens are billed as input), output = output
     * + thoughts, reasoning = thoughts. A total equal to input + cached + output + thoughts + tool says the input left the
     * cache out already; then it is not subtracted again.
     */
    private void usage(Instance instance, JsonNode tokens, int ordinal, String model, Instant timestamp, String sessionId)
    {
        for (String field : new String[] {"input", "output", "cached", "thoughts", "tool"}) {
            JsonNode value = tokens.get(field);
            if (value != null && !value.isNull() && (!value.canConvertToLong() || value.longValue() < 0)) {
                issue(instance.line, tokens, "tokens." + field + " is not a count: usage of message " + instance.id + " not stored");
                return;
            }
        }
        long input = JsonFields.longValue(tokens, "input");
        long cached = JsonFields.longValue(tokens, "cached");
        long output = JsonFields.longValue(tokens, "output");
        long thoughts = JsonFields.longValue(tokens, "thoughts");
        long tool = JsonFields.longValue(tokens, "tool");
        JsonNode total = tokens.get("total");
        long uncached = Math.max(0, input - cached);
        if (total != null && total.canConvertToLong() && total.longValue() != input + output + thoughts + tool) {
            if (total.longValue() == input + cached + output + thoughts + tool) {
                // the total counts the cache apart (hand-written files do): input is already uncached, as ccusage reads it
                trace.count("token_inputs_without_cached");
                uncached = input;
            }
            else {
                trace.count("token_totals_not_matching");
            }
        }
        trace.putUsage(new TokenUsage(instance.id, sessionId, ordinal, model, timestamp, uncached + tool, 0, 0, cached, output + thoughts, thoughts));
    }

    private static boolean allFunctionResponses(JsonNode parts)
    {
        for (JsonNode part : parts) {
            if (!part.has("functionResponse")) {
                return false;
            }
        }
        return true;
    }

    /** A string, or Gemini parts: text, thought text (reasoning), inline data and files (type only, not the payload). */
    private static void addParts(MessageDraft draft, JsonNode content)
    {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            addText(draft, content.asText());
            return;
        }
        for (JsonNode part : content.isArray() ? content : List.of(content)) {
            if (part.isTextual()) {
                addText(draft, part.asText());
            }
            else if (part.has("text")) {
                if (JsonFields.isTrue(part, "thought")) {
                    draft.addReasoning(text(part, "text"));
                }
                else {
                    addText(draft, text(part, "text"));
                }
            }
            else if (part.has("inlineData")) {
                String mime = text(part.get("inlineData"), "mimeType");
                draft.content.add(new ContentBlock(mime != null && mime.startsWith("image/") ? "image" : "inline_data", null, mime));
            }
            else if (part.has("fileData")) {
                draft.content.add(new ContentBlock("file", null, text(part.get("fileData"), "mimeType")));
            }
            else if (part.isObject() && part.size() > 0) {
                draft.content.add(new ContentBlock(part.fieldNames().next().toLowerCase(Locale.ROOT), null, null));
            }
        }
    }

    private static void addText(MessageDraft draft, String text)
    {
        if (text != null && !text.isEmpty()) {
            draft.content.add(ContentBlock.text(text));
        }
    }

    private static void append(StringBuilder text, String piece)
    {
        if (!text.isEmpty()) {
            text.append("\n\n");
        }
        text.append(piece);
    }

    private static MessageDraft draft(Role role, Instance instance, Instant timestamp)
    {
        MessageDraft draft = new MessageDraft(role);
        draft.lineNumber = instance.line;
        draft.lineUuid = instance.id;
        draft.createdAt = timestamp;
        draft.branch = instance.branch;
        return draft;
    }

    private static void putText(SortedMap<String, Object> meta, String key, JsonNode node, String field)
    {
        String value = nonEmptyText(node, field);
        if (value != null) {
            meta.put(key, value);
        }
    }

    private void issue(long line, JsonNode node, String message)
    {
        String excerpt = node.toString();
        if (excerpt.length() > ParseIssue.EXCERPT_WINDOW_CHARS) {
            excerpt = excerpt.substring(0, ParseIssue.EXCERPT_WINDOW_CHARS);
        }
        issues.add(new ParseIssue(line, JsonLines.UNEXPECTED_SHAPE, message, options.excerpt().apply(excerpt)));
    }
}
