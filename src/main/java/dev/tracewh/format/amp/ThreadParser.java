package dev.tracewh.format.amp;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.LineValues;
import dev.tracewh.format.MessageDraft;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.WholeDocument;
import dev.tracewh.format.TraceAssembler;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;

import java.io.IOException;
import java.io.InputStream;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Reads one Amp thread document into one trace. The document is read whole, but its messages are located: an
 * issue names the JSON line where its message starts (line 0: the whole file). Only a document that yields no trace
 * is rejected (not JSON, not an object, no thread id); a message or usage that cannot be read is an issue, and the
 * rest of the thread loads.
 */
final class ThreadParser
{
    static final String NOT_A_THREAD = "not_a_thread";
    static final String INVALID_MESSAGE = "invalid_message";

    private static final Pattern THREAD_STEM = Pattern.compile("T-.+");
    private static final List<String> USAGE_FIELDS = List.of("inputTokens", "outputTokens", "cacheCreationInputTokens", "cacheReadInputTokens");
    private static final int SHOWN_CHARS = 64;

    private final Path file;
    private final ObjectMapper mapper;
    private final ObjectReader valueReader;
    private final ReadOptions options;
    private final List<ParseIssue> issues = new ArrayList<>();

    private record Located(JsonNode node, long line) {}

    /** {@code ledgerLine}: where {@code usageLedger} starts, for issues about its events (1 when there is none). */
    private record Document(ObjectNode root, List<Located> messages, long ledgerLine) {}

    /** The cache buckets of an assistant message's usage, which a legacy ledger event joins by {@code toMessageId}. */
    private record Cache(long creation, long read) {}

    ThreadParser(Path file, ObjectMapper mapper, ReadOptions options)
    {
        this.file = requireNonNull(file, "file is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.valueReader = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.options = requireNonNull(options, "options is null");
    }

    ParsedFile parse(InputStream input)
            throws IOException
    {
        WholeDocument whole = WholeDocument.read(input, options);
        if (whole.tooLarge()) {
            return whole.tooLargeFile("the thread", options, issues);
        }
        byte[] bytes = whole.bytes();
        List<Trace> traces = new ArrayList<>();
        Document document = read(bytes);
        if (document != null) {
            Trace trace = thread(document);
            if (trace != null) {
                traces.add(trace);
            }
        }
        // a snapshot is not append-only: the loader asks for no checkpoint
        return new ParsedFile(traces, issues, whole.consumedBytes(), whole.consumedSha256(), whole.checkpointSha256(), whole.replacedCharacters());
    }

    /** The document's root with the start line of each message, or null (and an issue) when it is not a JSON object. */
    private Document read(byte[] bytes)
            throws IOException
    {
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                String found = first == null ? "nothing" : value(parser).getNodeType().name().toLowerCase(Locale.ROOT);
                issues.add(new ParseIssue(0, JsonLines.NOT_AN_OBJECT, "expected an Amp thread (a JSON object), found " + found, null));
                return null;
            }
            ObjectNode root = mapper.getNodeFactory().objectNode();
            List<Located> messages = null;
            long ledgerLine = 1;
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if ("messages".equals(name) && token == JsonToken.START_ARRAY) {
                    messages = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        long line = parser.currentTokenLocation().getLineNr();
                        messages.add(new Located(value(parser), line));
                    }
                }
                else {
                    if ("usageLedger".equals(name)) {
                        ledgerLine = parser.currentTokenLocation().getLineNr();
                    }
                    root.set(name, value(parser));
                }
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(parser, "trailing content (" + trailing + ") after the document");
            }
            return new Document(root, messages, ledgerLine);
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

    /**
     * The thread's trace. Its id is the file stem when that is a thread id (as agentsview does), else the document's
     * {@code id}; a thread without messages yet is a trace without messages.
     */
    private Trace thread(Document document)
    {
        ObjectNode root = document.root();
        String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
        String documentId = JsonFields.nonEmptyText(root, "id");
        String traceId = THREAD_STEM.matcher(stem).matches() ? stem : documentId;
        if (traceId == null) {
            issue(1, NOT_A_THREAD, "the document has no thread id (\"id\") and its file is not named T-<id>.json: no trace can be formed", root);
            return null;
        }
        if (document.messages() == null && root.has("messages")) {
            issue(1, NOT_A_THREAD, "messages of thread " + traceId + " is not a list: the thread loads without messages", root.get("messages"));
        }
        ThreadReader reader = new ThreadReader(traceId);
        reader.seeTime(epochMillis(root.get("created")));
        List<Located> messages = document.messages() == null ? List.of() : document.messages();
        for (int i = 0; i < messages.size(); i++) {
            reader.message(messages.get(i).node(), messages.get(i).line(), i + 1);
        }
        JsonNode ledger = JsonFields.object(root, "usageLedger");
        JsonNode events = ledger == null ? null : ledger.get("events");
        if (events != null && events.isArray()) {
            reader.ledger(events, document.ledgerLine());
        }
        else {
            reader.messageUsage();
        }
        return reader.build(root, documentId, messages.size());
    }

    private void issue(long line, String errorClass, String message, JsonNode node)
    {
        String text = node == null ? "" : node.toString();
        String window = text.length() <= ParseIssue.EXCERPT_WINDOW_CHARS ? text : text.substring(0, ParseIssue.EXCERPT_WINDOW_CHARS);
        issues.add(new ParseIssue(line, errorClass, message, options.excerpt().apply(window)));
    }

    /** The messages of one thread, in order, into one trace. */
    private final class ThreadReader
    {
        private final String traceId;
        private final TraceAssembler trace = new TraceAssembler();
        private final SortedMap<String, Long> toolResultStatuses = new TreeMap<>();
        private final SortedMap<String, Long> states = new TreeMap<>();
        /** Assistant usage in document order, read after the messages: a legacy ledger replaces it. */
        private final List<PendingUsage> usages = new ArrayList<>();
        private final Map<Long, Cache> cacheByMessageId = new HashMap<>();
        private final Map<Long, Integer> ordinalByMessageId = new HashMap<>();
        private BigDecimal credits;
        private Integer ledgerEvents;

        private record PendingUsage(JsonNode usage, JsonNode messageId, long line, int position, int ordinal, String model, Instant time) {}

        ThreadReader(String traceId)
        {
            this.traceId = traceId;
        }

        void seeTime(Instant time)
        {
            trace.seeTimestamp(time);
        }

        void message(JsonNode message, long line, int position)
        {
            if (!message.isObject()) {
                issue(line, INVALID_MESSAGE, "message " + position + " is not an object: skipped", message);
                return;
            }
            String role = JsonFields.text(message, "role");
            trace.countRecordType(role);
            JsonNode state = JsonFields.object(message, "state");
            String stateType = state == null ? null : JsonFields.nonEmptyText(state, "type");
            if (stateType != null) {
                states.merge(stateType, 1L, Long::sum);
            }
            if ("assistant".equals(role)) {
                assistant(message, line, position);
            }
            else if ("user".equals(role)) {
                user(message, line, position);
            }
            else {
                // Amp writes only user and assistant messages as far as is known; anything else is kept out of the contract's roles
                trace.count("messages_with_other_roles");
            }
        }

        private void assistant(JsonNode message, long line, int position)
        {
            JsonNode usage = JsonFields.object(message, "usage");
            Instant time = messageTime(message, usage, line);
            trace.seeTimestamp(time);
            MessageDraft draft = new MessageDraft(Role.ASSISTANT);
            draft.lineNumber = line;
            draft.createdAt = time;
            draft.model = usage == null ? null : JsonFields.nonEmptyText(usage, "model");
            trace.addModel(draft.model);
            JsonNode content = message.get("content");
            List<JsonNode> calls = new ArrayList<>();
            for (JsonNode block : blocks(content)) {
                String type = JsonFields.text(block, "type");
                switch (type == null ? "" : type) {
                    case "text" -> addText(draft.content, block);
                    case "thinking" -> draft.addReasoning(JsonFields.text(block, "thinking"));
                    case "redacted_thinking" -> trace.count("redacted_thinking_blocks");
                    case "tool_use" -> calls.add(block);
                    case "image" -> draft.content.add(image(block));
                    default -> trace.count("unknown_block_types");
                }
            }
            int ordinal = trace.add(draft);
            JsonNode messageId = message.get("messageId");
            if (messageId != null && messageId.canConvertToLong()) {
                ordinalByMessageId.putIfAbsent(messageId.longValue(), ordinal);
                cacheByMessageId.putIfAbsent(messageId.longValue(), new Cache(JsonFields.longValue(usage, "cacheCreationInputTokens"),
                        JsonFields.longValue(usage, "cacheReadInputTokens")));
            }
            for (JsonNode call : calls) {
                String id = JsonFields.nonEmptyText(call, "id");
                String name = JsonFields.nonEmptyText(call, "name");
                if (id == null || name == null) {
                    issue(line, INVALID_MESSAGE, "a tool_use of message " + position + " has no id or name: left out", call);
                    continue;
                }
                Instant calledAt = epochMillis(call.get("startTime"));
                trace.addToolCall(id, name, arguments(call.get("input")), calledAt != null ? calledAt : time);
            }
            if (usage != null) {
                usages.add(new PendingUsage(usage, messageId, line, position, ordinal, draft.model, time));
            }
        }

        /** Tool results become tool messages, in block order; the rest of a user message, if any, is the human turn. */
        private void user(JsonNode message, long line, int position)
        {
            Instant time = messageTime(message, null, line);
            trace.seeTimestamp(time);
            MessageDraft draft = new MessageDraft(Role.USER);
            draft.lineNumber = line;
            draft.createdAt = time;
            for (JsonNode block : blocks(message.get("content"))) {
                String type = JsonFields.text(block, "type");
                switch (type == null ? "" : type) {
                    case "text" -> addText(draft.content, block);
                    case "tool_result" -> toolResult(block, line, position, time);
                    case "image" -> draft.content.add(image(block));
                    default -> trace.count("unknown_block_types");
                }
            }
            if (!draft.content.isEmpty()) {
                trace.add(draft);
            }
        }

        /** Amp's shape is {@code {toolUseID, run: {status, result, error: {message}}}}; the Anthropic shape is read too. */
        private void toolResult(JsonNode block, long line, int position, Instant time)
        {
            String callId = JsonFields.nonEmptyText(block, "toolUseID");
            JsonNode run = JsonFields.object(block, "run");
            String text;
            Boolean isError;
            if (callId == null && block.has("tool_use_id")) {
                callId = JsonFields.nonEmptyText(block, "tool_use_id");
                trace.count("anthropic_shaped_tool_results");
                text = resultText(block.get("content"));
                isError = block.path("is_error").isBoolean() ? block.get("is_error").booleanValue() : null;
            }
            else {
                String status = run == null ? null : JsonFields.nonEmptyText(run, "status");
                toolResultStatuses.merge(status == null ? "(none)" : status, 1L, Long::sum);
                JsonNode error = run == null ? null : run.get("error");
                String errorText = error == null || error.isNull() ? null : error.isObject() ? JsonFields.text(error, "message") : resultText(error);
                JsonNode result = run == null ? null : run.get("result");
                text = result != null && !result.isNull() ? resultText(result) : errorText;
                isError = status == null ? null : switch (status) {
                    case "done" -> false;
                    case "error", "cancelled", "rejected-by-user" -> true;
                    default -> null;
                };
            }
            if (callId == null) {
                issue(line, INVALID_MESSAGE, "a tool_result of message " + position + " has no toolUseID: left out", block);
                return;
            }
            MessageDraft tool = new MessageDraft(Role.TOOL);
            tool.toolCallId = callId;
            tool.lineNumber = line;
            tool.createdAt = time;
            if (text != null) {
                tool.content.add(ContentBlock.text(text));
            }
            int ordinal = trace.add(tool);
            trace.addToolResult(callId, ordinal, text == null ? "" : text, isError, null, null);
        }

        /**
         * When a message was sent: {@code meta.sentAt} (epoch ms), else its usage's {@code timestamp}, else the latest
         * time of its tool runs.
         */
        private Instant messageTime(JsonNode message, JsonNode usage, long line)
        {
            JsonNode meta = JsonFields.object(message, "meta");
            Instant sent = meta == null ? null : epochMillis(meta.get("sentAt"));
            if (sent != null) {
                return inRange(sent, line, message);
            }
            String stamp = usage == null ? null : JsonFields.text(usage, "timestamp");
            Instant stamped = JsonFields.instant(stamp);
            if (stamped != null) {
                return inRange(stamped, line, message);
            }
            Instant latest = null;
            for (JsonNode block : blocks(message.get("content"))) {
                for (String field : List.of("startTime", "finalTime")) {
                    Instant time = epochMillis(block.get(field));
                    if (time != null && (latest == null || time.isAfter(latest))) {
                        latest = time;
                    }
                }
            }
            return latest == null ? null : inRange(latest, line, message);
        }

        private Instant inRange(Instant instant, long line, JsonNode message)
        {
            if (instant.isBefore(LineValues.EARLIEST) || !instant.isBefore(LineValues.END)) {
                issue(line, LineValues.OUT_OF_RANGE, "time " + instant + " is outside 1970-01-01..9999-12-31: stored as null", message);
                return null;
            }
            return instant;
        }

        /**
         * One usage row per assistant message that has {@code usage}, keyed by its messageId, so a rewritten
         * snapshot yields the same keys. {@code gpt-*} models report the uncached prompt as cache creation (OpenAI
         * has no cache writes): it is input. A {@code totalTokens} above the buckets' sum is not billed as anything, as in
         * ccusage (20.0.24), which carries it only in its total.
         */
        void messageUsage()
        {
            for (PendingUsage pending : usages) {
                JsonNode usage = pending.usage();
                if (!valid(usage, pending.line(), pending.position())) {
                    continue;
                }
                long input = JsonFields.longValue(usage, "inputTokens");
                long creation = JsonFields.longValue(usage, "cacheCreationInputTokens");
                long read = JsonFields.longValue(usage, "cacheReadInputTokens");
                long output = JsonFields.longValue(usage, "outputTokens");
                if (pending.model() != null && pending.model().startsWith("gpt-")) {
                    input += creation;
                    creation = 0;
                }
                if (input + creation + read + output == 0) {
                    trace.count("usage_without_tokens");
                    continue;
                }
                if (pending.model() == null) {
                    trace.count("usage_without_model");
                }
                JsonNode messageId = pending.messageId();
                String key = messageId != null && messageId.canConvertToLong() ? "message-" + messageId.longValue() : "position-" + pending.position();
                trace.putUsage(new TokenUsage(traceId + "/" + key, "", pending.ordinal(), pending.model(), pending.time(), input, creation, 0, read, output, 0));
            }
        }

        /**
         * A legacy thread's ledger: one row per event, input and output from the event, cache buckets from the
         * assistant message it names ({@code toMessageId}); messages' own usage is the same inference and is not counted again.
         */
        void ledger(JsonNode events, long line)
        {
            ledgerEvents = events.size();
            int index = 0;
            for (JsonNode event : events) {
                index++;
                if (!event.isObject()) {
                    issue(line, INVALID_MESSAGE, "usage ledger event " + index + " is not an object: left out", event);
                    continue;
                }
                JsonNode tokens = JsonFields.object(event, "tokens");
                if (tokens == null || !valid(tokens, List.of("input", "output"), line, "usage ledger event " + index)) {
                    continue;
                }
                JsonNode credit = event.get("credits");
                if (credit != null && credit.isNumber()) {
                    credits = credits == null ? credit.decimalValue() : credits.add(credit.decimalValue());
                }
                JsonNode target = event.get("toMessageId");
                Long messageId = target != null && target.canConvertToLong() ? target.longValue() : null;
                Cache cache = messageId == null ? null : cacheByMessageId.get(messageId);
                long input = JsonFields.longValue(tokens, "input");
                long output = JsonFields.longValue(tokens, "output");
                long creation = cache == null ? 0 : cache.creation();
                long read = cache == null ? 0 : cache.read();
                if (input + output + creation + read == 0) {
                    trace.count("usage_without_tokens");
                    continue;
                }
                String eventId = JsonFields.nonEmptyText(event, "id");
                String model = JsonFields.nonEmptyText(event, "model");
                Instant time = JsonFields.instant(JsonFields.text(event, "timestamp"));
                trace.addModel(model);
                trace.seeTimestamp(time);
                Integer ordinal = messageId == null ? null : ordinalByMessageId.get(messageId);
                trace.putUsage(new TokenUsage(traceId + "/ledger-" + (eventId != null ? eventId : String.valueOf(index)), "", ordinal, model, time,
                        input, creation, 0, read, output, 0));
            }
        }

        private boolean valid(JsonNode usage, long line, int position)
        {
            return valid(usage, USAGE_FIELDS, line, "the usage of message " + position);
        }

        private boolean valid(JsonNode usage, List<String> fields, long line, String what)
        {
            for (String field : fields) {
                JsonNode value = usage.get(field);
                if (value != null && !value.isNull() && !isCount(value)) {
                    issue(line, LineValues.INVALID_COUNT, field + " " + shown(value.toString()) + " of " + what + " is not a token count (an integer from 0 to "
                            + LineValues.MAX_COUNT + "): left out", usage);
                    return false;
                }
            }
            return true;
        }

        Trace build(ObjectNode root, String documentId, int messageCount)
        {
            SortedMap<String, Object> meta = trace.sourceMeta();
            putText(meta, "thread_id", documentId);
            putText(meta, "title", JsonFields.text(root, "title"));
            putText(meta, "agent_mode", JsonFields.nonEmptyText(root, "agentMode"));
            JsonNode revision = root.get("v");
            if (revision != null && revision.canConvertToLong()) {
                meta.put("revision", revision.longValue());
            }
            meta.put("document_message_count", messageCount);
            if (!toolResultStatuses.isEmpty()) {
                meta.put("tool_result_statuses", new TreeMap<>(toolResultStatuses));
            }
            if (!states.isEmpty()) {
                meta.put("message_states", new TreeMap<>(states));
            }
            if (ledgerEvents != null) {
                meta.put("usage_ledger_events", ledgerEvents);
            }
            if (credits != null) {
                meta.put("ledger_credits", credits);
            }
            JsonNode initial = JsonFields.object(JsonFields.object(root, "env"), "initial");
            JsonNode platform = JsonFields.object(initial, "platform");
            String clientVersion = platform == null ? null : JsonFields.nonEmptyText(platform, "clientVersion");
            putText(meta, "client", platform == null ? null : JsonFields.nonEmptyText(platform, "client"));
            putText(meta, "client_version", clientVersion);
            trace.addVersion(clientVersion);
            JsonNode trees = initial == null ? null : initial.get("trees");
            JsonNode tree = trees != null && trees.isArray() && !trees.isEmpty() && trees.get(0).isObject() ? trees.get(0) : null;
            String cwd = tree == null ? null : fileUriPath(JsonFields.nonEmptyText(tree, "uri"));
            JsonNode repository = tree == null ? null : JsonFields.object(tree, "repository");
            String ref = repository == null ? null : JsonFields.nonEmptyText(repository, "ref");
            String gitBranch = ref == null ? null : ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
            putText(meta, "repository_url", repository == null ? null : JsonFields.nonEmptyText(repository, "url"));
            return new Trace(traceId, AmpFormat.ID, file.toString(), traceId, null, false, cwd, cwd, gitBranch, trace.startedAt(), trace.endedAt(),
                    trace.messages(), trace.toolCalls(), trace.tokenUsage(), meta, JsonFields.nonEmptyText(root, "title"), null, trace.versions(), trace.models());
        }
    }

    /** A {@code file://} URI's path, percent-decoded; another URI is kept as written. */
    private static String fileUriPath(String uri)
    {
        if (uri == null || !uri.startsWith("file://")) {
            return uri;
        }
        try {
            return URI.create(uri).getPath();
        }
        catch (IllegalArgumentException notAUri) {
            return uri.substring("file://".length());
        }
    }

    /** Content is a list of blocks; a plain string is one text block. */
    private static List<JsonNode> blocks(JsonNode content)
    {
        List<JsonNode> blocks = new ArrayList<>();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            blocks.add(textBlock(content.textValue()));
            return blocks;
        }
        if (content.isArray()) {
            content.forEach(block -> {
                if (block.isObject()) {
                    blocks.add(block);
                }
            });
        }
        return blocks;
    }

    private static JsonNode textBlock(String text)
    {
        ObjectNode block = JsonNodeFactory.instance.objectNode();
        block.put("type", "text");
        block.put("text", text);
        return block;
    }

    private static void addText(List<ContentBlock> content, JsonNode block)
    {
        String text = JsonFields.text(block, "text");
        if (text != null) {
            content.add(ContentBlock.text(text));
        }
    }

    private static ContentBlock image(JsonNode block)
    {
        JsonNode source = JsonFields.object(block, "source");
        String mediaType = source == null ? null : JsonFields.nonEmptyText(source, "mediaType");
        return new ContentBlock("image", null, mediaType != null ? mediaType : source == null ? null : JsonFields.nonEmptyText(source, "media_type"));
    }

    /** A run's result is text or JSON (a file listing, a command's output and exit code): JSON is kept as its text. */
    private static String resultText(JsonNode value)
    {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isArray()) {
            // an Anthropic-shaped content list: its text blocks
            StringBuilder text = new StringBuilder();
            boolean allText = true;
            for (JsonNode part : value) {
                if (part.isObject() && "text".equals(JsonFields.text(part, "type")) && part.path("text").isTextual()) {
                    if (!text.isEmpty()) {
                        text.append("\n\n");
                    }
                    text.append(part.get("text").textValue());
                }
                else {
                    allText = false;
                }
            }
            if (allText) {
                return text.toString();
            }
        }
        return value.toString();
    }

    /** Tool input is an object; a string is kept as written, and a missing value is an empty object. */
    private static String arguments(JsonNode value)
    {
        if (value == null || value.isNull()) {
            return "{}";
        }
        return value.isTextual() ? value.textValue() : value.toString();
    }

    /** Amp writes times as epoch milliseconds; an ISO string is read too. */
    private static Instant epochMillis(JsonNode value)
    {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return Instant.ofEpochMilli(value.longValue());
        }
        return value.isTextual() ? JsonFields.instant(value.textValue()) : null;
    }

    private static boolean isCount(JsonNode value)
    {
        return value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0 && value.longValue() <= LineValues.MAX_COUNT;
    }

    private static void putText(SortedMap<String, Object> meta, String key, String value)
    {
        if (value != null) {
            meta.put(key, value);
        }
    }

    private static String shown(String value)
    {
        return value.length() <= SHOWN_CHARS ? value : value.substring(0, SHOWN_CHARS) + "…";
    }
}
