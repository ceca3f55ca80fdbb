package dev.tracewh.format.hermes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.JsonLines;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;

import static java.util.Objects.requireNonNull;

/**
 * A gateway transcript {@code <id>.jsonl} (Telegram, Discord, Slack…): one message per line, each turn's lines
 * sharing one naive local timestamp; a fresh session starts with a {@code session_meta} row (model, platform, tools),
 * which is not a message. The sibling snapshot {@code session_<id>.json} of the same session adds what the transcript
 * lacks (system prompt, base URL, tools); without a state.db, the gateway index {@code sessions.json} adds the
 * session's token totals. Nothing personal is taken from the index (session keys, chat and user ids, names).
 */
final class TranscriptParser
{
    private final Path file;
    private final ObjectMapper mapper;
    private final ReadOptions options;
    private final JsonLines lines;
    private final Timestamps timestamps;
    private final TraceAssembler trace = new TraceAssembler();
    private final MessageReader reader;
    private final List<ParseIssue> messageIssues = new ArrayList<>();
    private Line current;
    private String model;
    private String platform;
    private JsonNode metaTools;

    TranscriptParser(Path file, ObjectMapper mapper, ReadOptions options, ZoneId zone)
    {
        this.file = requireNonNull(file, "file is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.options = requireNonNull(options, "options is null");
        this.lines = new JsonLines(mapper, options);
        this.timestamps = new Timestamps(zone);
        this.reader = new MessageReader(trace, mapper, this::issue);
    }

    ParsedFile parse(InputStream input)
            throws IOException
    {
        String sessionId = HermesFormat.stem(file);
        JsonNode snapshot = siblingSnapshot(sessionId);
        String systemPrompt = snapshot == null ? null : JsonFields.nonEmptyText(snapshot, "system_prompt");
        if (systemPrompt != null) {
            MessageDraft system = new MessageDraft(Role.SYSTEM);
            system.content.add(ContentBlock.text(systemPrompt));
            trace.add(system);
        }
        model = snapshot == null ? null : JsonFields.nonEmptyText(snapshot, "model");
        int[] records = {0};
        lines.forEach(input, (node, line) -> {
            records[0]++;
            current = line;
            if (MessageReader.SESSION_META.equals(JsonFields.text(node, "role"))) {
                model = firstNonNull(JsonFields.nonEmptyText(node, "model"), model);
                platform = firstNonNull(JsonFields.nonEmptyText(node, "platform"), platform);
                metaTools = node.get("tools");
            }
            reader.add(node, line.number(), timestamps.parse(JsonFields.text(node, "timestamp")), model);
        });
        List<ParseIssue> issues = new ArrayList<>(lines.issues());
        issues.addAll(messageIssues);
        issues.sort(Comparator.comparingLong(ParseIssue::lineNumber));
        List<Trace> traces = new ArrayList<>();
        List<dev.tracewh.model.Message> messages = trace.messages();
        boolean onlySystemPrompt = messages.size() == (systemPrompt != null ? 1 : 0);
        if (!onlySystemPrompt) {
            traces.add(trace(sessionId, snapshot, systemPrompt, records[0], messages));
        }
        return new ParsedFile(traces, issues, lines.consumedBytes(), lines.consumedSha256(), lines.checkpointSha256(), lines.replacedCharacters());
    }

    private Trace trace(String sessionId, JsonNode snapshot, String systemPrompt, int records, List<dev.tracewh.model.Message> messages)
    {
        JsonNode entry = HermesFormat.hasStateDb(file) ? null : indexEntry(sessionId);
        List<TokenUsage> usage = new ArrayList<>(trace.tokenUsage());
        SortedMap<String, Object> meta = trace.sourceMeta();
        if (entry != null) {
            Instant created = timestamps.parse(JsonFields.text(entry, "created_at"));
            Instant updated = timestamps.parse(JsonFields.text(entry, "updated_at"));
            if (trace.startedAt() == null) {
                trace.seeTimestamp(created);
                trace.seeTimestamp(updated);
            }
            HermesFormat.putText(meta, "chat_type", JsonFields.nonEmptyText(entry, "chat_type"));
            platform = firstNonNull(platform, JsonFields.nonEmptyText(entry, "platform"));
            HermesFormat.putText(meta, "cost_status", JsonFields.nonEmptyText(entry, "cost_status"));
            JsonNode cost = entry.get("estimated_cost_usd");
            if (cost != null && cost.isNumber()) {
                meta.put("estimated_cost_usd", cost.decimalValue());
            }
            long input = JsonFields.longValue(entry, "input_tokens");
            long output = JsonFields.longValue(entry, "output_tokens");
            long cacheRead = JsonFields.longValue(entry, "cache_read_tokens");
            long cacheWrite = JsonFields.longValue(entry, "cache_write_tokens");
            if (input + output + cacheRead + cacheWrite > 0) {
                // session totals: the index keeps no per-response counts
                Instant at = updated != null ? updated : trace.endedAt();
                usage.add(new TokenUsage("hermes-session-total:" + sessionId, "", null, model, at, input, cacheWrite, 0, cacheRead, output, 0));
                meta.put("token_usage_source", "sessions_json");
            }
        }
        meta.put("session_format", "gateway_transcript");
        meta.put("record_count", records);
        HermesFormat.putText(meta, "model", model);
        HermesFormat.putText(meta, "platform", firstNonNull(platform, snapshot == null ? null : JsonFields.nonEmptyText(snapshot, "platform")));
        if (snapshot != null) {
            meta.put("enriched_from_snapshot", true);
            HermesFormat.putText(meta, "base_url", JsonFields.nonEmptyText(snapshot, "base_url"));
        }
        HermesFormat.putToolNames(meta, snapshot != null && snapshot.has("tools") ? snapshot.get("tools") : metaTools);
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
        List<String> models = new ArrayList<>(trace.models());
        if (model != null && !models.contains(model)) {
            models.add(model);
        }
        return new Trace(sessionId, HermesFormat.ID, file.toString(), sessionId, null, false, null, null, null, trace.startedAt(), trace.endedAt(),
                messages, trace.toolCalls(), usage, meta, null, null, List.of(), models);
    }

    /** The snapshot of the same session beside the transcript, or null when there is none that can be read. */
    private JsonNode siblingSnapshot(String sessionId)
    {
        Path snapshot = file.resolveSibling("session_" + sessionId + ".json");
        if (!Files.isRegularFile(snapshot)) {
            return null;
        }
        try {
            JsonNode root = mapper.readTree(snapshot.toFile());
            if (root == null || !root.isObject()) {
                return null;
            }
            String id = JsonFields.text(root, "session_id");
            // after a compression the snapshot holds the continuation, whose prompt and tools may differ
            return id == null || id.equals(sessionId) ? root : null;
        }
        catch (IOException unreadable) {
            trace.count("sibling_snapshot_unreadable");
            return null;
        }
    }

    /** This session's entry of the gateway index beside the transcript, or null. */
    private JsonNode indexEntry(String sessionId)
    {
        Path index = file.resolveSibling("sessions.json");
        if (!Files.isRegularFile(index)) {
            return null;
        }
        try {
            JsonNode root = mapper.readTree(index.toFile());
            if (root == null || !root.isObject()) {
                return null;
            }
            for (JsonNode entry : root) {
                if (entry.isObject() && sessionId.equals(JsonFields.text(entry, "session_id"))) {
                    return entry;
                }
            }
            return null;
        }
        catch (IOException unreadable) {
            trace.count("sessions_index_unreadable");
            return null;
        }
    }

    private void issue(long line, String errorClass, String message, JsonNode node)
    {
        if (current != null && current.number() == line) {
            messageIssues.add(new ParseIssue(line, errorClass, message,
                    options.excerpt().apply(current.excerpt(ParseIssue.EXCERPT_WINDOW_CHARS))));
            return;
        }
        String text = node.toString();
        messageIssues.add(new ParseIssue(line, errorClass, message, options.excerpt().apply(
                text.length() <= ParseIssue.EXCERPT_WINDOW_CHARS ? text : text.substring(0, ParseIssue.EXCERPT_WINDOW_CHARS))));
    }

    private static String firstNonNull(String first, String second)
    {
        return first != null ? first : second;
    }
}
