package dev.tracewh.format.opencode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOnlySqlite;
import dev.tracewh.format.UnstorableEscapes;
import dev.tracewh.model.ParseIssue;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * An OpenCode SQLite database ({@code opencode.db}, {@code opencode-<channel>.db}): one trace per session row. It is
 * the agent's live database (WAL), so it is opened read-only ({@code mode=ro}, {@code query_only}) with a busy
 * timeout and read in short statements whose rows are copied out before the next. Columns an older schema lacks read
 * as null.
 * <p>
 * A session's version is the newest {@code time_updated} of its row, its messages and its parts (the database file
 * changes whenever any session does). Given the cursor of the last read, the newest version it saw, only sessions
 * updated since are read; {@link #SLACK_MILLIS} before it, so a write committed late with an earlier time, or in the
 * same millisecond, is read again (the warehouse skips what did not change).
 */
final class OpenCodeDb
{
    static final String UNREADABLE_DB = "unreadable_opencode_db";
    static final String INVALID_ROW = "invalid_row";
    static final long SLACK_MILLIS = 60_000;

    private static final List<String> SESSION_COLUMNS = List.of("id", "project_id", "parent_id", "slug", "directory", "title", "version", "share_url",
            "summary_additions", "summary_deletions", "summary_files", "cost", "tokens_input", "tokens_output", "tokens_reasoning", "tokens_cache_read",
            "tokens_cache_write", "revert", "agent", "model", "time_created", "time_updated", "time_archived", "workspace_id");

    private final Path file;
    private final ObjectMapper mapper;
    private final UnaryOperator<String> excerpt;
    private final List<ParseIssue> issues = new ArrayList<>();
    private long replacedCharacters;

    /** What a read found: the traces of the sessions read, and the cursor for the next read. */
    record Result(List<Trace> traces, List<ParseIssue> issues, long replacedCharacters, String cursor) {}

    private record Row(Map<String, Object> values)
    {
        String text(String column)
        {
            Object value = values.get(column);
            return value == null ? null : value.toString();
        }

        Long number(String column)
        {
            return values.get(column) instanceof Number number ? number.longValue() : null;
        }
    }

    OpenCodeDb(Path file, ObjectMapper mapper, UnaryOperator<String> excerpt)
    {
        this.file = requireNonNull(file, "file is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.excerpt = requireNonNull(excerpt, "excerpt is null");
    }

    /** The ids of the sessions the database holds: their copies in the JSON tree and in other databases are not read. */
    static Set<String> sessionIds(Path file)
            throws IOException
    {
        try (Connection connection = ReadOnlySqlite.open(file)) {
            if (!ReadOnlySqlite.tables(connection).contains("session")) {
                return Set.of();
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT id FROM session")) {
                Set<String> ids = new HashSet<>();
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
                return ids;
            }
        }
        catch (SQLException e) {
            throw new IOException("cannot read the sessions of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The sessions updated since {@code cursor} (all when it is null), leaving out those of {@code heldElsewhere}
     * (a database preferred to this one holds them).
     */
    Result read(String cursor, Set<String> heldElsewhere)
            throws IOException
    {
        Long since = parseCursor(cursor);
        try (Connection connection = ReadOnlySqlite.open(file)) {
            Set<String> tables = ReadOnlySqlite.tables(connection);
            if (!tables.contains("session") || !tables.contains("message") || !tables.contains("part")) {
                issues.add(new ParseIssue(0, UNREADABLE_DB, file + " has no session, message or part table: it is not an OpenCode database", null));
                return new Result(List.of(), issues, 0, cursor);
            }
            boolean partSessions = ReadOnlySqlite.columns(connection, "part").contains("session_id");
            Map<String, String> worktrees = tables.contains("project") ? worktrees(connection) : Map.of();
            List<Row> sessions = sessions(connection, partSessions);
            Map<String, Row> byId = new HashMap<>();
            sessions.forEach(session -> byId.put(session.text("id"), session));
            long newest = since == null ? 0 : since;
            List<Row> toRead = new ArrayList<>();
            for (Row session : sessions) {
                long version = session.number("changed_at") == null ? 0 : session.number("changed_at");
                newest = Math.max(newest, version);
                if (heldElsewhere.contains(session.text("id"))) {
                    continue;
                }
                if (since == null || version >= since - SLACK_MILLIS) {
                    toRead.add(session);
                }
            }
            boolean children = toRead.stream().anyMatch(session -> session.text("parent_id") != null);
            Map<String, String> spawningCalls = children ? spawningCalls(connection, partSessions) : Map.of();
            SessionBuilder builder = new SessionBuilder(mapper, file.toString());
            List<Trace> traces = new ArrayList<>();
            String partsSql = partSessions
                    ? "SELECT id, message_id, time_updated, data FROM part WHERE session_id = ? ORDER BY message_id, id"
                    : "SELECT p.id, p.message_id, p.time_updated, p.data FROM part p JOIN message m ON m.id = p.message_id WHERE m.session_id = ? "
                            + "ORDER BY p.message_id, p.id";
            try (PreparedStatement messages = connection.prepareStatement(
                    "SELECT id, time_created, data FROM message WHERE session_id = ? ORDER BY time_created, id");
                    PreparedStatement parts = connection.prepareStatement(partsSql)) {
                for (Row session : toRead) {
                    traces.add(builder.build(rows(session, byId, worktrees, spawningCalls, messages, parts)));
                }
            }
            return new Result(traces, issues, replacedCharacters, Long.toString(newest));
        }
        catch (SQLException e) {
            // locked past the busy timeout, or damaged: the file fails as a whole and the next load reads it again
            throw new IOException("cannot read the OpenCode database " + file + ": " + e.getMessage(), e);
        }
    }

    private static Long parseCursor(String cursor)
    {
        if (cursor == null) {
            return null;
        }
        try {
            return Long.parseLong(cursor);
        }
        catch (NumberFormatException notOurs) {
            return null;
        }
    }

    private List<Row> sessions(Connection connection, boolean partSessions)
            throws SQLException
    {
        Set<String> present = ReadOnlySqlite.columns(connection, "session");
        List<String> select = new ArrayList<>();
        for (String column : SESSION_COLUMNS) {
            select.add(present.contains(column) ? "s.\"" + column + "\"" : "NULL AS \"" + column + "\"");
        }
        String partVersion = partSessions
                ? "(SELECT max(p.time_updated) FROM part p WHERE p.session_id = s.id)"
                : "(SELECT max(p.time_updated) FROM part p JOIN message m ON m.id = p.message_id WHERE m.session_id = s.id)";
        select.add("max(coalesce(s.time_updated, 0), coalesce((SELECT max(m.time_updated) FROM message m WHERE m.session_id = s.id), 0), coalesce("
                + partVersion + ", 0)) AS changed_at");
        List<Row> sessions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + String.join(", ", select) + " FROM session s ORDER BY s.time_created, s.id")) {
            List<String> labels = ReadOnlySqlite.labels(rows);
            while (rows.next()) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int i = 0; i < labels.size(); i++) {
                    Object value = rows.getObject(i + 1);
                    values.put(labels.get(i), value instanceof String text ? storable(text) : value);
                }
                if (values.get("id") == null) {
                    issues.add(new ParseIssue(0, INVALID_ROW, file + ": a session row has no id: skipped", null));
                    continue;
                }
                sessions.add(new Row(values));
            }
        }
        return sessions;
    }

    private SessionRows rows(Row session, Map<String, Row> byId, Map<String, String> worktrees, Map<String, String> spawningCalls,
            PreparedStatement messageQuery, PreparedStatement partQuery)
            throws SQLException
    {
        String id = session.text("id");
        Map<String, List<SessionRows.PartRow>> parts = new HashMap<>();
        partQuery.setString(1, id);
        try (ResultSet rows = partQuery.executeQuery()) {
            while (rows.next()) {
                String partId = rows.getString(1);
                JsonNode data = json(rows.getString(4), "session " + id + ", part row " + partId);
                if (data != null && partId != null) {
                    parts.computeIfAbsent(rows.getString(2), ignored -> new ArrayList<>())
                            .add(new SessionRows.PartRow(partId, data, rows.getObject(3) instanceof Number time ? time.longValue() : null));
                }
            }
        }
        List<SessionRows.MessageRow> messages = new ArrayList<>();
        messageQuery.setString(1, id);
        try (ResultSet rows = messageQuery.executeQuery()) {
            while (rows.next()) {
                String messageId = rows.getString(1);
                JsonNode data = json(rows.getString(3), "session " + id + ", message row " + messageId);
                if (data != null && messageId != null) {
                    messages.add(new SessionRows.MessageRow(messageId, rows.getObject(2) instanceof Number time ? time.longValue() : null, data,
                            parts.getOrDefault(messageId, List.of())));
                }
            }
        }
        String root = rootOf(session, byId);
        String parent = session.text("parent_id");
        String directory = session.text("directory");
        String worktree = worktrees.get(session.text("project_id"));
        SortedMap<String, Object> meta = new TreeMap<>();
        meta.put("storage", "sqlite");
        meta.put("database", file.getFileName().toString());
        meta.put("session_id", id);
        putText(meta, "slug", session.text("slug"));
        putText(meta, "project_id", session.text("project_id"));
        putText(meta, "workspace_id", session.text("workspace_id"));
        putText(meta, "agent", session.text("agent"));
        putText(meta, "share_url", session.text("share_url"));
        JsonNode model = json(session.text("model"), null);
        if (model != null) {
            putText(meta, "model", JsonFields.nonEmptyText(model, "id"));
            putText(meta, "provider", JsonFields.nonEmptyText(model, "providerID"));
        }
        for (String column : List.of("summary_additions", "summary_deletions", "summary_files", "tokens_input", "tokens_output", "tokens_reasoning",
                "tokens_cache_read", "tokens_cache_write", "time_archived")) {
            if (session.number(column) != null && session.number(column) != 0) {
                meta.put(column, session.number(column));
            }
        }
        if (session.values().get("cost") instanceof Number cost && cost.doubleValue() != 0) {
            meta.put("session_cost_usd", new BigDecimal(cost.toString()));
        }
        JsonNode revert = json(session.text("revert"), null);
        if (revert != null) {
            putText(meta, "revert_message_id", JsonFields.nonEmptyText(revert, "messageID"));
        }
        return new SessionRows(id, parent == null ? id : root + ":" + id, root, parent, parent == null ? null : spawningCalls.get(id), directory,
                worktree != null && !worktree.equals("/") ? worktree : directory, session.text("title"), session.text("version"),
                session.number("time_created"), session.number("time_updated"), revert, messages, meta);
    }

    /** The session at the top of the parent chain; a parent no longer in the database is still the root's id. */
    private static String rootOf(Row session, Map<String, Row> byId)
    {
        Set<String> seen = new HashSet<>();
        Row current = session;
        while (true) {
            String id = current.text("id");
            String parent = current.text("parent_id");
            if (parent == null || !seen.add(id)) {
                return id;
            }
            Row next = byId.get(parent);
            if (next == null) {
                return parent;
            }
            current = next;
        }
    }

    /** The {@code task} calls that created child sessions: child session id → the call's {@code callID}. */
    private Map<String, String> spawningCalls(Connection connection, boolean partSessions)
            throws SQLException
    {
        Map<String, String> calls = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT data FROM part WHERE data LIKE '%\"sessionId\"%' ORDER BY id")) {
            while (rows.next()) {
                JsonNode data = json(rows.getString(1), null);
                if (data == null || !"tool".equals(JsonFields.text(data, "type"))) {
                    continue;
                }
                String child = JsonFields.nonEmptyText(data.path("state").path("metadata"), "sessionId");
                String call = JsonFields.nonEmptyText(data, "callID");
                if (child != null && call != null) {
                    calls.putIfAbsent(child, call);
                }
            }
        }
        return calls;
    }

    private static Map<String, String> worktrees(Connection connection)
            throws SQLException
    {
        Map<String, String> worktrees = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, worktree FROM project")) {
            while (rows.next()) {
                worktrees.put(rows.getString(1), rows.getString(2));
            }
        }
        return worktrees;
    }

    /** The JSON of a data column; text that is not a JSON object is an issue naming {@code row} (when given) and null. */
    private JsonNode json(String text, String row)
    {
        if (text == null || text.isBlank()) {
            return null;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int replaced = UnstorableEscapes.replace(bytes, 0, bytes.length);
        try {
            JsonNode node = mapper.readTree(bytes);
            if (node != null && node.isObject()) {
                if (row != null) {
                    replacedCharacters += replaced;
                }
                return node;
            }
            if (row != null) {
                issue(JsonLines.NOT_AN_OBJECT, file + ": " + row + ": its data is not a JSON object: left out", text);
            }
        }
        catch (IOException notJson) {
            if (row != null) {
                issue(JsonLines.INVALID_JSON, file + ": " + row + ": its data is not JSON (" + OpenCodeDb.reason(notJson) + "): left out", text);
            }
        }
        return null;
    }

    private void issue(String errorClass, String message, String text)
    {
        issues.add(new ParseIssue(0, errorClass, message,
                excerpt.apply(text.length() <= ParseIssue.EXCERPT_WINDOW_CHARS ? text : text.substring(0, ParseIssue.EXCERPT_WINDOW_CHARS))));
    }

    /** Text with U+0000 and lone surrogates (which no warehouse stores) replaced by U+FFFD. */
    private String storable(String text)
    {
        StringBuilder replaced = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean bad = c == '\u0000' || Character.isHighSurrogate(c) && (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
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

    /** What a JSON parser said was wrong, without its note of where the text came from. */
    static String reason(IOException failure)
    {
        return failure instanceof JsonProcessingException json ? json.getOriginalMessage() : failure.getMessage();
    }

    static void putText(SortedMap<String, Object> meta, String key, String value)
    {
        if (value != null && !value.isEmpty()) {
            meta.put(key, value);
        }
    }
}
