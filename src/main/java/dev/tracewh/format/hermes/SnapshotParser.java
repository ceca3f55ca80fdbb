package dev.tracewh.format.hermes;

import com.fasterxml.jackson.core.JsonParseException;
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
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.Trace;

import java.io.IOException;
import java.io.InputStream;

import java.nio.file.Path;

import java.time.ZoneId;
import java.util.ArrayList;

import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

import static java.util.Objects.requireNonNull;

/**
 * A CLI snapshot {@code session_<id>.json}: the whole conversation, rewritten after every turn, without per-message
 * times. The document is read whole, but its messages are located: an issue names the JSON line its message starts
 * on. After a context compression the agent keeps writing the same file, named at start-up, under the continuation's
 * id: the trace is then the continuation (its id from {@code session_id}), and its root is the file's session.
 */
final class SnapshotParser
{
    static final String NOT_A_SESSION = "not_a_session";

    private final Path file;
    private final ObjectMapper mapper;
    private final ObjectReader valueReader;
    private final ReadOptions options;
    private final Timestamps timestamps;
    private final List<ParseIssue> issues = new ArrayList<>();

    private record Located(JsonNode node, long line) {}

    SnapshotParser(Path file, ObjectMapper mapper, ReadOptions options, ZoneId zone)
    {
        this.file = requireNonNull(file, "file is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.valueReader = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.options = requireNonNull(options, "options is null");
        this.timestamps = new Timestamps(zone);
    }

    ParsedFile parse(InputStream input)
            throws IOException
    {
        WholeDocument whole = WholeDocument.read(input, options);
        if (whole.tooLarge()) {
            return whole.tooLargeFile("the snapshot", options, issues);
        }
        byte[] bytes = whole.bytes();
        List<Trace> traces = new ArrayList<>();
        List<Located> messages = new ArrayList<>();
        ObjectNode root = read(bytes, messages);
        if (root != null) {
            Trace trace = trace(root, messages);
            if (trace != null) {
                traces.add(trace);
            }
        }
        return new ParsedFile(traces, issues, whole.consumedBytes(), whole.consumedSha256(), whole.checkpointSha256(), whole.replacedCharacters());
    }

    /** The document with its messages located, or null (and an issue) when it is not a JSON object with a messages list. */
    private ObjectNode read(byte[] bytes, List<Located> messages)
            throws IOException
    {
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                String found = first == null ? "nothing" : value(parser).getNodeType().name().toLowerCase(Locale.ROOT);
                issues.add(new ParseIssue(0, JsonLines.NOT_AN_OBJECT, "expected a Hermes session snapshot (a JSON object), found " + found, null));
                return null;
            }
            ObjectNode root = mapper.getNodeFactory().objectNode();
            boolean hasMessages = false;
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if ("messages".equals(name) && token == JsonToken.START_ARRAY) {
                    hasMessages = true;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        long line = parser.currentTokenLocation().getLineNr();
                        messages.add(new Located(value(parser), line));
                    }
                }
                else {
                    root.set(name, value(parser));
                }
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(parser, "trailing content (" + trailing + ") after the document");
            }
            if (!hasMessages) {
                issues.add(new ParseIssue(0, NOT_A_SESSION, "the snapshot has no messages list: no trace can be formed", null));
                return null;
            }
            return root;
        }
        catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            issues.add(new ParseIssue(line, JsonLines.INVALID_JSON, e.getOriginalMessage(), null));
            return null;
        }
    }

    private JsonNode value(JsonParser parser)
            throws IOException
    {
        JsonNode value = valueReader.readTree(parser);
        return value == null ? NullNode.getInstance() : value;
    }

    private Trace trace(ObjectNode root, List<Located> located)
    {
        String fileSessionId = HermesFormat.snapshotFileSessionId(file);
        JsonNode idNode = root.get("session_id");
        String sessionId = idNode != null && (idNode.isTextual() || idNode.isNumber()) && !idNode.asText().isEmpty() ? idNode.asText() : null;
        String traceId = sessionId != null ? sessionId : fileSessionId != null ? fileSessionId : HermesFormat.stem(file);
        String model = JsonFields.nonEmptyText(root, "model");
        TraceAssembler trace = new TraceAssembler();
        MessageReader reader = new MessageReader(trace, mapper, this::issue);
        trace.addModel(model);
        String systemPrompt = JsonFields.nonEmptyText(root, "system_prompt");
        if (systemPrompt != null) {
            MessageDraft system = new MessageDraft(Role.SYSTEM);
            system.lineNumber = 1;
            system.content.add(ContentBlock.text(systemPrompt));
            trace.add(system);
        }
        for (Located message : located) {
            if (message.node().isObject() && MessageReader.SESSION_META.equals(JsonFields.text(message.node(), "role"))) {
                model = model != null ? model : JsonFields.nonEmptyText(message.node(), "model");
            }
            reader.add(message.node(), message.line(), timestamps.parse(JsonFields.text(message.node(), "timestamp")), model);
        }
        trace.seeTimestamp(timestamps.parse(JsonFields.text(root, "session_start")));
        trace.seeTimestamp(timestamps.parse(JsonFields.text(root, "last_updated")));
        SortedMap<String, Object> meta = trace.sourceMeta();
        meta.put("session_format", "cli_session_log");
        meta.put("record_count", located.size());
        HermesFormat.putText(meta, "model", model);
        HermesFormat.putText(meta, "base_url", JsonFields.nonEmptyText(root, "base_url"));
        HermesFormat.putText(meta, "platform", JsonFields.nonEmptyText(root, "platform"));
        HermesFormat.putToolNames(meta, root.get("tools"));
        if (!reader.finishReasons().isEmpty()) {
            meta.put("finish_reasons", List.copyOf(reader.finishReasons()));
        }
        if (!reader.toolNamesUsed().isEmpty()) {
            meta.put("tool_names_used", List.copyOf(reader.toolNamesUsed()));
        }
        if (systemPrompt != null) {
            meta.put("has_system_prompt", true);
            meta.put("system_prompt_chars", systemPrompt.length());
        }
        if (timestamps.naiveSeen()) {
            meta.put("naive_timestamps_zone", timestamps.zoneId());
        }
        String rootSessionId = traceId;
        if (fileSessionId != null && !fileSessionId.equals(traceId)) {
            // the file was named at start-up; a compression continued the session under a new id in the same file
            meta.put("snapshot_file_session_id", fileSessionId);
            meta.put("lineage", "compression");
            rootSessionId = fileSessionId;
        }
        JsonNode modelConfig = JsonFields.object(root, "model_config");
        String cwd = JsonFields.nonEmptyText(root, "cwd");
        if (cwd == null && modelConfig != null) {
            cwd = JsonFields.nonEmptyText(modelConfig, "cwd");
        }
        return new Trace(traceId, HermesFormat.ID, file.toString(), rootSessionId, null, false, cwd, cwd, null,
                trace.startedAt(), trace.endedAt(), trace.messages(), trace.toolCalls(), trace.tokenUsage(), meta, null, null, List.of(), trace.models());
    }

    private void issue(long line, String errorClass, String message, JsonNode node)
    {
        String text = node.toString();
        String window = text.length() <= ParseIssue.EXCERPT_WINDOW_CHARS ? text : text.substring(0, ParseIssue.EXCERPT_WINDOW_CHARS);
        issues.add(new ParseIssue(line, errorClass, message, options.excerpt().apply(window)));
    }
}
