package dev.tracewh.format.copilot;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A {@code session-store.db} for tests with the {@code assistant_usage_events} columns the reference lists (the CLI's
 * real DDL is not public; the names are those codeburn reports), or an older table without the optional columns.
 */
final class CopilotStore
        implements AutoCloseable
{
    private static final String FULL = """
            CREATE TABLE sessions (id TEXT PRIMARY KEY, cwd TEXT);
            CREATE TABLE assistant_usage_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, turn_index INTEGER, model TEXT, reasoning_effort TEXT,
                input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0, cache_read_tokens INTEGER NOT NULL DEFAULT 0,
                cache_write_tokens INTEGER NOT NULL DEFAULT 0, reasoning_tokens INTEGER NOT NULL DEFAULT 0, total_nano_aiu INTEGER,
                request_multiplier REAL, duration_ms INTEGER, time_to_first_token_ms INTEGER, finish_reason TEXT, agent_id TEXT,
                parent_tool_call_id TEXT, initiator TEXT, token_details_json TEXT, created_at TEXT);
            """;
    private static final String MINIMAL = """
            CREATE TABLE assistant_usage_events (session_id TEXT NOT NULL, model TEXT, input_tokens INTEGER, output_tokens INTEGER);
            """;

    private final Connection connection;
    private final boolean full;

    private CopilotStore(Connection connection, boolean full)
    {
        this.connection = connection;
        this.full = full;
    }

    /** The store at {@code <home>/session-store.db}; {@code full} false makes the older, narrower table. */
    static CopilotStore create(Path home, boolean full)
            throws SQLException
    {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + home.resolve(SessionStore.FILE).toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            for (String ddl : (full ? FULL : MINIMAL).split(";")) {
                if (!ddl.isBlank()) {
                    statement.execute(ddl);
                }
            }
        }
        return new CopilotStore(connection, full);
    }

    /** A request row of the full table: counts as the CLI stores them (input includes the cache). */
    CopilotStore request(String sessionId, String model, long input, long output, long cacheRead, long cacheWrite, long reasoning, String agentId,
            String parentToolCallId, String initiator, String createdAt)
            throws SQLException
    {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO assistant_usage_events (session_id, model, input_tokens, output_tokens, "
                + "cache_read_tokens, cache_write_tokens, reasoning_tokens, total_nano_aiu, agent_id, parent_tool_call_id, initiator, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, 1000, ?, ?, ?, ?)")) {
            insert.setString(1, sessionId);
            insert.setString(2, model);
            insert.setLong(3, input);
            insert.setLong(4, output);
            insert.setLong(5, cacheRead);
            insert.setLong(6, cacheWrite);
            insert.setLong(7, reasoning);
            insert.setString(8, agentId);
            insert.setString(9, parentToolCallId);
            insert.setString(10, initiator);
            insert.setString(11, createdAt);
            insert.executeUpdate();
        }
        return this;
    }

    /** A row of the minimal table. */
    CopilotStore request(String sessionId, String model, Object input, long output)
            throws SQLException
    {
        if (full) {
            throw new IllegalStateException("a minimal-table row on the full table");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO assistant_usage_events VALUES (?, ?, ?, ?)")) {
            insert.setString(1, sessionId);
            insert.setString(2, model);
            insert.setObject(3, input);
            insert.setLong(4, output);
            insert.executeUpdate();
        }
        return this;
    }

    @Override
    public void close()
            throws SQLException
    {
        connection.close();
    }
}
