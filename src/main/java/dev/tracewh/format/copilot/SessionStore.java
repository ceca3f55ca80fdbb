package dev.tracewh.format.copilot;

import dev.tracewh.format.JsonFields;
import dev.tracewh.format.LineValues;
import dev.tracewh.format.ReadOnlySqlite;
import dev.tracewh.model.ParseIssue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The per-request usage rows of {@code <home>/session-store.db}, table {@code assistant_usage_events}: the only
 * per-request token counts the CLI keeps ({@code assistant.usage} events are never written to the log). The store is
 * the CLI's live database, opened read-only with a busy timeout and read in one short statement. Its schema is not
 * published: columns are read by name, and an optional one the table lacks reads as null.
 */
final class SessionStore
{
    static final String FILE = "session-store.db";
    static final String TABLE = "assistant_usage_events";
    static final String UNREADABLE_STORE = "unreadable_session_store";
    static final String INVALID_ROW = "invalid_usage_row";
    static final SessionStore NONE = new SessionStore(null);
    private static final List<String> REQUIRED = List.of("session_id", "input_tokens", "output_tokens");
    private static final List<String> OPTIONAL = List.of("model", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens", "total_nano_aiu",
            "agent_id", "parent_tool_call_id", "initiator");
    private static final List<String> COUNTS = List.of("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "reasoning_tokens");
    /** The row's time: the first of these the table has. */
    private static final List<String> TIME_COLUMNS = List.of("created_at", "timestamp", "completed_at", "started_at");
    /** Epoch numbers above this are milliseconds (it is 5138-11-16 in seconds). */
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;

    /** One model request; {@code input} still includes the cache reads and writes, as the store keeps it. */
    record Row(String rowId, String model, Instant at, long input, long output, long cacheRead, long cacheWrite, long reasoning, Long nanoAiu,
               String agentId, String parentToolCallId, String initiator) {}

    private final Path file;

    private SessionStore(Path file)
    {
        this.file = file;
    }

    /** The store of the home whose {@code session-state} folder holds {@code log}, when there is one. */
    static SessionStore near(Path log)
    {
        for (Path folder = log.toAbsolutePath().getParent(); folder != null; folder = folder.getParent()) {
            if (folder.getFileName() != null && folder.getFileName().toString().equals(CopilotFormat.SESSION_STATE)) {
                Path store = folder.resolveSibling(FILE);
                return Files.isRegularFile(store) ? new SessionStore(store) : NONE;
            }
        }
        return NONE;
    }

    /**
     * The session's rows in row order; empty without a store, a usage table or rows of the session. A store that cannot
     * be read, and each row whose counts are not token counts, are issues; the rest is read.
     */
    List<Row> rows(String sessionId, Consumer<ParseIssue> issues)
    {
        if (file == null) {
            return List.of();
        }
        try (Connection connection = ReadOnlySqlite.open(file)) {
            Set<String> columns = ReadOnlySqlite.columns(connection, TABLE);
            if (columns.isEmpty()) {
                return List.of();
            }
            if (!columns.containsAll(REQUIRED)) {
                issues.accept(new ParseIssue(0, UNREADABLE_STORE, file + ": table " + TABLE + " lacks one of the columns " + REQUIRED
                        + ": the session's usage comes from its shutdown roll-ups", null));
                return List.of();
            }
            String time = TIME_COLUMNS.stream().filter(columns::contains).findFirst().orElse(null);
            List<String> select = new ArrayList<>();
            select.add((columns.contains("id") ? "\"id\"" : "rowid") + " AS row_id");
            REQUIRED.forEach(column -> select.add("\"" + column + "\""));
            OPTIONAL.forEach(column -> select.add(columns.contains(column) ? "\"" + column + "\"" : "NULL AS \"" + column + "\""));
            select.add(time == null ? "NULL AS row_time" : "\"" + time + "\" AS row_time");
            String sql = "SELECT " + String.join(", ", select) + " FROM " + TABLE + " WHERE session_id = ? ORDER BY rowid";
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, sessionId);
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        Row row = row(result, issues);
                        if (row != null) {
                            rows.add(row);
                        }
                    }
                }
            }
            return rows;
        }
        catch (SQLException e) {
            // locked past the busy timeout, or damaged: the next load that reads the log asks again
            issues.accept(new ParseIssue(0, UNREADABLE_STORE, "cannot read " + file + ": " + e.getMessage()
                    + "; the session's usage comes from its shutdown roll-ups", null));
            return List.of();
        }
    }

    private Row row(ResultSet result, Consumer<ParseIssue> issues)
            throws SQLException
    {
        String rowId = result.getString("row_id");
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String column : COUNTS) {
            Object value = result.getObject(column);
            if (value == null) {
                counts.put(column, 0L);
            }
            else if (value instanceof Number number && (number instanceof Long || number instanceof Integer) && number.longValue() >= 0
                    && number.longValue() <= LineValues.MAX_COUNT) {
                counts.put(column, number.longValue());
            }
            else {
                issues.accept(new ParseIssue(0, INVALID_ROW, file + " " + TABLE + " row " + rowId + ": " + column + " " + value
                        + " is not a token count (an integer from 0 to " + LineValues.MAX_COUNT + "): the row's usage is left out", null));
                return null;
            }
        }
        Object nanoAiu = result.getObject("total_nano_aiu");
        return new Row(rowId, result.getString("model"), instant(result.getObject("row_time")), counts.get("input_tokens"), counts.get("output_tokens"),
                counts.get("cache_read_tokens"), counts.get("cache_write_tokens"), counts.get("reasoning_tokens"),
                nanoAiu instanceof Number number ? number.longValue() : null, result.getString("agent_id"), result.getString("parent_tool_call_id"),
                result.getString("initiator"));
    }

    /** Epoch seconds or milliseconds, or ISO-8601 text; null for anything else or outside the storable range. */
    private static Instant instant(Object value)
    {
        Instant instant = null;
        if (value instanceof Number number) {
            long epoch = number.longValue();
            instant = Math.abs(epoch) >= MILLIS_THRESHOLD ? Instant.ofEpochMilli(epoch) : Instant.ofEpochSecond(epoch);
        }
        else if (value instanceof String text) {
            instant = JsonFields.instant(text.contains("T") || text.isEmpty() ? text : text.replace(' ', 'T'));
        }
        return instant == null || instant.isBefore(LineValues.EARLIEST) || !instant.isBefore(LineValues.END) ? null : instant;
    }
}
