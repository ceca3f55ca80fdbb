package dev.tracewh.format.hermes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.MessageDraft;
import dev.tracewh.format.ReadOnlySqlite;
import dev.tracewh.format.TraceAssembler;
import dev.tracewh.format.UnstorableEscapes;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Hermes' SQLite store {@code state.db} (schema v5 to v30): sessions, their messages, lineage and per-model usage.
 * It is the agent's live database, so it is opened read-only ({@code mode=ro}, {@code query_only}) with a busy
 * timeout, and read in short statements, each its own transaction, their rows copied out before the next: in
 * rollback-journal mode a reader's open statement would keep the agent from committing. Columns a schema lacks read as
 * null. Personal columns ({@code origin_json}, {@code user_id}, {@code chat_id}, {@code session_key},
 * {@code display_name}) are never selected; a legacy reset is told apart by comparing session keys inside SQLite.
 */
final class StateDb
{
    static final String UNREADABLE_STORE = "unreadable_state_db";
    static final String INVALID_ROW = "invalid_row";
    /** The agent's writes wait for at most this long on a lock; a reader waits for as long on the rare write lock of WAL recovery. */

    private static final Set<String> RESET_END_REASONS = Set.of("session_reset", "session_switch", "idle", "daily", "suspended", "resume_pending_expired");
    private static final List<String> SESSION_COLUMNS = List.of("id", "source", "model", "model_config", "system_prompt", "system_prompt_hash",
            "parent_session_id", "started_at", "ended_at", "end_reason", "message_count", "tool_call_count", "input_tokens", "output_tokens",
            "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "cwd", "git_branch", "git_repo_root", "billing_provider", "billing_mode",
            "estimated_cost_usd", "actual_cost_usd", "cost_status", "title", "last_activity_at", "api_call_count", "rewind_count", "archived");
    private static final List<String> MESSAGE_COLUMNS = List.of("id", "role", "content", "tool_call_id", "tool_calls", "timestamp", "finish_reason",
            "reasoning", "reasoning_content", "active", "compacted", "_compressed_summary", "api_content", "display_kind");
    private static final List<String> USAGE_COLUMNS = List.of("session_id", "model", "billing_provider", "billing_base_url", "billing_mode", "task",
            "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "last_seen", "first_seen");

    private final Path file;
    private final ObjectMapper mapper;
    private final UnaryOperator<String> excerpt;
    private final List<ParseIssue> issues = new ArrayList<>();
    private long replacedCharacters;

    /** A sessions row, the columns of interest by name. */
    private record Row(Map<String, Object> values)
    {
        String text(String column)
        {
            Object value = values.get(column);
            return value == null ? null : value.toString();
        }

        Double real(String column)
        {
            return values.get(column) instanceof Number number ? number.doubleValue() : null;
        }

        long count(String column)
        {
            return values.get(column) instanceof Number number ? Math.max(0, number.longValue()) : 0;
        }
    }

    StateDb(Path file, ObjectMapper mapper, UnaryOperator<String> excerpt)
    {
        this.file = requireNonNull(file, "file is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.excerpt = requireNonNull(excerpt, "excerpt is null");
    }

    /** The ids of the sessions the store holds, for discovery: the JSON files of these sessions are not read. */
    static Set<String> sessionIds(Path file)
            throws IOException
    {
        try (Connection connection = ReadOnlySqlite.open(file);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM sessions")) {
            Set<String> ids = new HashSet<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
        catch (SQLException e) {
            throw new IOException("cannot read the sessions of " + file + ": " + e.getMessage(), e);
        }
    }

    List<ParseIssue> issues()
    {
        return issues;
    }

    long replacedCharacters()
    {
        return replacedCharacters;
    }

    /** One trace per session; a database without Hermes' tables is one issue and no trace. */
    List<Trace> read()
            throws IOException
    {
        try (Connection connection = ReadOnlySqlite.open(file)) {
            Set<String> tables = ReadOnlySqlite.tables(connection);
            if (!tables.contains("sessions") || !tables.contains("messages")) {
                issues.add(new ParseIssue(0, UNREADABLE_STORE, "the database has no sessions or messages table: it is not a Hermes state.db", null));
                return List.of();
            }
            Set<String> sessionColumns = ReadOnlySqlite.columns(connection, "sessions");
            Set<String> messageColumns = ReadOnlySqlite.columns(connection, "messages");
            String schemaVersion = tables.contains("schema_version") ? schemaVersion(connection) : null;
            List<Row> sessions = sessions(connection, sessionColumns, tables.contains("system_prompts") && sessionColumns.contains("system_prompt_hash"));
            Map<String, List<TokenUsage>> usage = tables.contains("session_model_usage") ? usage(connection) : Map.of();
            Map<String, Row> byId = new HashMap<>();
            sessions.forEach(row -> byId.put(row.text("id"), row));
            String messagesSql = "SELECT " + select(MESSAGE_COLUMNS, messageColumns) + " FROM messages WHERE session_id = ? ORDER BY id";
            List<Trace> traces = new ArrayList<>();
            try (PreparedStatement messages = connection.prepareStatement(messagesSql)) {
                for (Row session : sessions) {
                    traces.add(trace(session, byId, messages, usage.getOrDefault(session.text("id"), List.of()), schemaVersion));
                }
            }
            return traces;
        }
        catch (SQLException e) {
            // locked past the busy timeout, or damaged: the file fails as a whole and the next load reads it again
            throw new IOException("cannot read the Hermes store " + file + ": " + e.getMessage(), e);
        }
    }

    private static String schemaVersion(Connection connection)
            throws SQLException
    {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /** The columns wanted, those the table lacks as null, so one query serves every schema version. */
    private static String select(List<String> wanted, Set<String> present)
    {
        List<String> parts = new ArrayList<>();
        for (String column : wanted) {
            parts.add(present.contains(column) ? "\"" + column + "\"" : "NULL AS \"" + column + "\"");
        }
        return String.join(", ", parts);
    }

    private List<Row> sessions(Connection connection, Set<String> columns, boolean promptTable)
            throws SQLException
    {
        List<String> parts = new ArrayList<>();
        for (String column : SESSION_COLUMNS) {
            parts.add(columns.contains(column) ? "s.\"" + column + "\"" : "NULL AS \"" + column + "\"");
        }
        parts.add(promptTable ? "(SELECT sp.prompt FROM system_prompts sp WHERE sp.hash = s.system_prompt_hash) AS stored_prompt" : "NULL AS stored_prompt");
        // a pre-marker reset child rides its parent's routing key: compared here, so no key leaves the database
        parts.add(columns.contains("session_key")
                ? "(SELECT p.session_key = s.session_key FROM sessions p WHERE p.id = s.parent_session_id AND s.session_key <> '') AS same_key_as_parent"
                : "NULL AS same_key_as_parent");
        List<Row> sessions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + String.join(", ", parts) + " FROM sessions s ORDER BY s.started_at, s.id")) {
            List<String> labels = ReadOnlySqlite.labels(rows);
            while (rows.next()) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int i = 0; i < labels.size(); i++) {
                    Object value = rows.getObject(i + 1);
                    values.put(labels.get(i), value instanceof String text ? storable(text) : value);
                }
                if (values.get("id") == null) {
                    issues.add(new ParseIssue(0, INVALID_ROW, "a sessions row has no id: skipped", null));
                    continue;
                }
                sessions.add(new Row(values));
            }
        }
        return sessions;
    }

    /** Per-model session totals, keyed by the table's whole primary key so a row keeps its response key across loads. */
    private Map<String, List<TokenUsage>> usage(Connection connection)
            throws SQLException
    {
        Set<String> columns = ReadOnlySqlite.columns(connection, "session_model_usage");
        Map<String, List<TokenUsage>> usage = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + select(USAGE_COLUMNS, columns) + " FROM session_model_usage")) {
            while (rows.next()) {
                String sessionId = rows.getString("session_id");
                String model = storable(rows.getString("model"));
                String key = String.join("|", "hermes-usage:" + sessionId, nonNull(model), nonNull(rows.getString("billing_provider")),
                        nonNull(rows.getString("billing_base_url")), nonNull(rows.getString("billing_mode")), nonNull(rows.getString("task")));
                Instant seen = Timestamps.epochSeconds(real(rows, "last_seen"));
                usage.computeIfAbsent(sessionId, ignored -> new ArrayList<>()).add(new TokenUsage(storable(key), "", null, model,
                        seen != null ? seen : Timestamps.epochSeconds(real(rows, "first_seen")),
                        count(rows, "input_tokens"), count(rows, "cache_write_tokens"), 0, count(rows, "cache_read_tokens"), count(rows, "output_tokens"),
                        count(rows, "reasoning_tokens")));
            }
        }
        return usage;
    }

    private Trace trace(Row session, Map<String, Row> byId, PreparedStatement messages, List<TokenUsage> modelUsage, String schemaVersion)
            throws SQLException
    {
        String id = session.text("id");
        String model = session.text("model");
        TraceAssembler trace = new TraceAssembler();
        MessageReader reader = new MessageReader(trace, mapper, (line, errorClass, message, node) -> issue(line, errorClass,
                "session " + id + ", message row " + line + ": " + message, node));
        trace.addModel(model);
        Instant startedAt = Timestamps.epochSeconds(session.real("started_at"));
        String prompt = session.text("stored_prompt") != null ? session.text("stored_prompt") : session.text("system_prompt");
        if (prompt != null && !prompt.isEmpty()) {
            MessageDraft system = new MessageDraft(Role.SYSTEM);
            system.createdAt = startedAt;
            system.content.add(ContentBlock.text(prompt));
            trace.add(system);
        }
        messages.setString(1, id);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ResultSet result = messages.executeQuery()) {
            List<String> labels = ReadOnlySqlite.labels(result);
            while (result.next()) {
                Map<String, Object> values = new HashMap<>();
                for (int i = 0; i < labels.size(); i++) {
                    values.put(labels.get(i), result.getObject(i + 1));
                }
                rows.add(values);
            }
        }
        for (Map<String, Object> values : rows) {
            message(values, reader, trace, model);
        }
        trace.seeTimestamp(startedAt);
        Instant endedAt = Timestamps.epochSeconds(session.real("ended_at"));
        trace.seeTimestamp(endedAt);
        trace.seeTimestamp(Timestamps.epochSeconds(session.real("last_activity_at")));
        List<TokenUsage> usage = new ArrayList<>();
        for (TokenUsage row : modelUsage) {
            // a row without first_seen or last_seen is dated by its session, so v_usage_daily counts it on a day
            usage.add(row.createdAt() != null ? row : new TokenUsage(row.responseId(), row.requestId(), null, row.model(),
                    endedAt != null ? endedAt : trace.endedAt(), row.inputTokens(), row.cacheCreationInputTokens(), row.cacheCreation1hInputTokens(), row.cacheReadInputTokens(),
                    row.outputTokens(), row.reasoningOutputTokens()));
        }
        long input = session.count("input_tokens");
        long output = session.count("output_tokens");
        long cacheRead = session.count("cache_read_tokens");
        long cacheWrite = session.count("cache_write_tokens");
        if (usage.isEmpty() && input + output + cacheRead + cacheWrite > 0) {
            // an older schema has only the session's totals
            usage.add(new TokenUsage("hermes-session-total:" + id, "", null, model, endedAt != null ? endedAt : trace.endedAt(),
                    input, cacheWrite, 0, cacheRead, output, session.count("reasoning_tokens")));
        }
        usage.forEach(row -> trace.addModel(row.model()));
        SortedMap<String, Object> meta = trace.sourceMeta();
        meta.put("session_format", "state_db");
        putText(meta, "schema_version", schemaVersion);
        putText(meta, "platform", session.text("source"));
        putText(meta, "model", model);
        putText(meta, "end_reason", session.text("end_reason"));
        putText(meta, "billing_provider", session.text("billing_provider"));
        putText(meta, "billing_mode", session.text("billing_mode"));
        putText(meta, "cost_status", session.text("cost_status"));
        putDecimal(meta, "estimated_cost_usd", session.real("estimated_cost_usd"));
        putDecimal(meta, "actual_cost_usd", session.real("actual_cost_usd"));
        for (String column : List.of("message_count", "tool_call_count", "api_call_count", "rewind_count")) {
            if (session.values().get(column) instanceof Number number) {
                meta.put("db_" + column, number.longValue());
            }
        }
        if (session.count("archived") > 0) {
            meta.put("archived", true);
        }
        if (prompt != null && !prompt.isEmpty()) {
            meta.put("has_system_prompt", true);
            meta.put("system_prompt_chars", prompt.length());
        }
        if (!reader.finishReasons().isEmpty()) {
            meta.put("finish_reasons", List.copyOf(reader.finishReasons()));
        }
        if (!reader.toolNamesUsed().isEmpty()) {
            meta.put("tool_names_used", List.copyOf(reader.toolNamesUsed()));
        }
        JsonNode modelConfig = json(session.text("model_config"));
        String lineage = lineage(session, byId);
        String parent = session.text("parent_session_id");
        if (lineage != null) {
            meta.put("lineage", lineage);
            meta.put("parent_session_id", parent);
        }
        boolean isSidechain = "delegate".equals(lineage);
        String cwd = session.text("cwd");
        if (cwd == null && modelConfig != null) {
            cwd = JsonFields.nonEmptyText(modelConfig, "cwd");
        }
        String repoRoot = session.text("git_repo_root");
        List<Message> built = trace.messages();
        return new Trace(id, HermesFormat.ID, file.toString(), rootOf(session, byId), isSidechain ? id : null, isSidechain, cwd,
                repoRoot != null ? repoRoot : cwd, session.text("git_branch"), startedAt != null ? startedAt : trace.startedAt(), trace.endedAt(),
                built, trace.toolCalls(), usage, meta, session.text("title"), null, List.of(), trace.models());
    }

    /** One messages row through the reader shared with the JSON files, then the flags only the store has. */
    private void message(Map<String, Object> values, MessageReader reader, TraceAssembler trace, String model)
    {
        long rowId = values.get("id") instanceof Number number ? number.longValue() : 0;
        ObjectNode node = mapper.createObjectNode();
        putString(node, "role", values.get("role"));
        Object apiContent = values.get("api_content");
        // what the model was sent, when the agent stored it apart from what it shows
        putString(node, "content", apiContent != null ? apiContent : values.get("content"));
        putString(node, "tool_call_id", values.get("tool_call_id"));
        putString(node, "finish_reason", values.get("finish_reason"));
        putString(node, "reasoning", values.get("reasoning"));
        putString(node, "reasoning_content", values.get("reasoning_content"));
        if (values.get("tool_calls") instanceof String calls && !calls.isBlank()) {
            byte[] bytes = calls.getBytes(StandardCharsets.UTF_8);
            replacedCharacters += UnstorableEscapes.count(bytes, 0, bytes.length);
            JsonNode parsed = json(calls);
            if (parsed == null) {
                issue(rowId, INVALID_ROW, "message row " + rowId + " has tool_calls that are not JSON: its calls are left out", node);
            }
            else {
                node.set("tool_calls", parsed);
            }
        }
        Instant timestamp = Timestamps.epochSeconds(values.get("timestamp") instanceof Number number ? number.doubleValue() : null);
        MessageDraft draft = reader.add(node, rowId, timestamp, model);
        if (draft == null) {
            return;
        }
        if (apiContent != null) {
            trace.count("api_content_rows");
        }
        if (values.get("active") instanceof Number active && active.longValue() == 0) {
            // soft-deleted by a rewind: kept, off the conversation as it ended
            draft.branch = 1;
            trace.count("inactive_messages");
        }
        if (isSet(values.get("compacted"))) {
            trace.count("compacted_messages");
        }
        if (isSet(values.get("_compressed_summary"))) {
            draft.isCompactSummary = true;
        }
        if ("hidden".equals(values.get("display_kind"))) {
            // model-facing scaffolding the agent never shows
            draft.isMeta = true;
        }
    }

    /**
     * How a child session came from its parent, after Hermes' own rules: a marker in {@code model_config} naming the
     * parent ({@code _branched_from}, {@code _reset_from}, {@code _delegate_from}) decides; without one, a parent that
     * ended by compression makes a continuation, one that ended "branched" a branch, one that ended at a reset boundary
     * with the same routing key a reset; any other child is a sub-agent (delegation or tool) run. Null for a root.
     */
    private String lineage(Row session, Map<String, Row> byId)
    {
        JsonNode modelConfig = json(session.text("model_config"));
        String parentId = session.text("parent_session_id");
        if (parentId == null || parentId.isEmpty()) {
            return null;
        }
        if (marks(modelConfig, "_branched_from", parentId)) {
            return "branch";
        }
        if (marks(modelConfig, "_reset_from", parentId)) {
            return "reset";
        }
        if (marks(modelConfig, "_delegate_from", parentId)) {
            return "delegate";
        }
        Row parent = byId.get(parentId);
        String endReason = parent == null ? null : parent.text("end_reason");
        if ("compression".equals(endReason) && !"tool".equals(session.text("source"))) {
            return "compression";
        }
        Double started = session.real("started_at");
        Double parentEnded = parent == null ? null : parent.real("ended_at");
        if ("branched".equals(endReason) && started != null && parentEnded != null && started >= parentEnded) {
            return "branch";
        }
        if (endReason != null && RESET_END_REASONS.contains(endReason) && session.count("same_key_as_parent") > 0) {
            return "reset";
        }
        return "delegate";
    }

    /** A continuation's or sub-agent's root is its parent's; a root, branch or reset is its own. */
    private String rootOf(Row session, Map<String, Row> byId)
    {
        Set<String> seen = new LinkedHashSet<>();
        Row current = session;
        while (true) {
            String id = current.text("id");
            if (!seen.add(id)) {
                return session.text("id");
            }
            String lineage = lineage(current, byId);
            if (lineage == null || lineage.equals("branch") || lineage.equals("reset")) {
                return id;
            }
            String parentId = current.text("parent_session_id");
            Row parent = byId.get(parentId);
            if (parent == null) {
                // the parent was pruned from the store: its id is still the root's
                return parentId;
            }
            current = parent;
        }
    }

    private static boolean marks(JsonNode modelConfig, String marker, String parentId)
    {
        return modelConfig != null && parentId.equals(JsonFields.text(modelConfig, marker));
    }

    /** The JSON of a text column, or null when it is empty or not JSON. */
    private JsonNode json(String text)
    {
        if (text == null || text.isBlank()) {
            return null;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        UnstorableEscapes.replace(bytes, 0, bytes.length);
        try {
            JsonNode node = mapper.readTree(bytes);
            return node == null || node.isMissingNode() ? null : node;
        }
        catch (IOException notJson) {
            return null;
        }
    }

    private void putString(ObjectNode node, String field, Object value)
    {
        if (value != null) {
            node.put(field, storable(value.toString()));
        }
    }

    /** Text with U+0000 and lone surrogates (which no warehouse stores) replaced by U+FFFD, as the JSON formats do. */
    private String storable(String text)
    {
        if (text == null) {
            return null;
        }
        StringBuilder replaced = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = c == '\u0000' || (Character.isSurrogate(c) && !pairedHigh && !(Character.isLowSurrogate(c) && i > 0
                    && Character.isHighSurrogate(text.charAt(i - 1))));
            if (bad && replaced == null) {
                replaced = new StringBuilder(text.substring(0, i));
            }
            if (replaced != null) {
                replaced.append(bad ? '\uFFFD' : c);
            }
            if (bad) {
                replacedCharacters++;
            }
        }
        return replaced == null ? text : replaced.toString();
    }

    private void issue(long line, String errorClass, String message, JsonNode node)
    {
        String text = node.toString();
        issues.add(new ParseIssue(line, errorClass, message,
                excerpt.apply(text.length() <= ParseIssue.EXCERPT_WINDOW_CHARS ? text : text.substring(0, ParseIssue.EXCERPT_WINDOW_CHARS))));
    }

    private static boolean isSet(Object value)
    {
        return value instanceof Number number && number.longValue() != 0;
    }

    private static Double real(ResultSet rows, String column)
            throws SQLException
    {
        return rows.getObject(column) instanceof Number number ? number.doubleValue() : null;
    }

    private static long count(ResultSet rows, String column)
            throws SQLException
    {
        return rows.getObject(column) instanceof Number number ? Math.max(0, number.longValue()) : 0;
    }

    private static String nonNull(String text)
    {
        return text == null ? "" : text;
    }

    private static void putText(SortedMap<String, Object> meta, String key, String value)
    {
        if (value != null && !value.isEmpty()) {
            meta.put(key, value);
        }
    }

    private static void putDecimal(SortedMap<String, Object> meta, String key, Double value)
    {
        if (value != null && !value.isNaN() && !value.isInfinite()) {
            meta.put(key, BigDecimal.valueOf(value));
        }
    }
}
