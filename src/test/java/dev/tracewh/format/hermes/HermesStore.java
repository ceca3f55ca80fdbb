package dev.tracewh.format.hermes;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A Hermes-like {@code state.db} for tests, written as the agent writes it: a read-write connection of its own. The
 * DDL is the schema v30 column list of {@code hermes_state_common.py} (a subset of columns; the personal ones are
 * there, to show they are never read), written here, not copied.
 */
public final class HermesStore
        implements AutoCloseable
{
    private static final String DDL = """
            CREATE TABLE schema_version (version INTEGER NOT NULL);
            CREATE TABLE system_prompts (hash TEXT PRIMARY KEY, prompt TEXT NOT NULL);
            CREATE TABLE sessions (
                id TEXT PRIMARY KEY, source TEXT NOT NULL, user_id TEXT, session_key TEXT, chat_id TEXT, chat_type TEXT,
                display_name TEXT, origin_json TEXT, model TEXT, model_config TEXT, system_prompt TEXT, system_prompt_hash TEXT,
                parent_session_id TEXT, started_at REAL NOT NULL, ended_at REAL, end_reason TEXT, message_count INTEGER DEFAULT 0,
                tool_call_count INTEGER DEFAULT 0, input_tokens INTEGER DEFAULT 0, output_tokens INTEGER DEFAULT 0,
                cache_read_tokens INTEGER DEFAULT 0, cache_write_tokens INTEGER DEFAULT 0, reasoning_tokens INTEGER DEFAULT 0,
                cwd TEXT, git_branch TEXT, git_repo_root TEXT, billing_provider TEXT, billing_base_url TEXT, billing_mode TEXT,
                estimated_cost_usd REAL, actual_cost_usd REAL, cost_status TEXT, title TEXT, last_activity_at REAL,
                api_call_count INTEGER DEFAULT 0, rewind_count INTEGER NOT NULL DEFAULT 0, archived INTEGER NOT NULL DEFAULT 0);
            CREATE TABLE messages (
                id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL REFERENCES sessions(id), role TEXT NOT NULL,
                content TEXT, tool_call_id TEXT, tool_calls TEXT, tool_name TEXT, timestamp REAL NOT NULL, token_count INTEGER,
                finish_reason TEXT, reasoning TEXT, reasoning_content TEXT, platform_message_id TEXT,
                _compressed_summary INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1, compacted INTEGER NOT NULL DEFAULT 0,
                api_content TEXT, display_kind TEXT);
            CREATE TABLE session_model_usage (
                session_id TEXT NOT NULL, model TEXT NOT NULL, billing_provider TEXT NOT NULL DEFAULT '',
                billing_base_url TEXT NOT NULL DEFAULT '', billing_mode TEXT NOT NULL DEFAULT '', task TEXT NOT NULL DEFAULT '',
                api_call_count INTEGER NOT NULL DEFAULT 0, input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0,
                cache_read_tokens INTEGER NOT NULL DEFAULT 0, cache_write_tokens INTEGER NOT NULL DEFAULT 0,
                reasoning_tokens INTEGER NOT NULL DEFAULT 0, estimated_cost_usd REAL NOT NULL DEFAULT 0, first_seen REAL, last_seen REAL,
                PRIMARY KEY (session_id, model, billing_provider, billing_base_url, billing_mode, task));
            CREATE INDEX idx_messages_session_id ON messages(session_id, id);
            INSERT INTO schema_version VALUES (30);
            """;

    private final Connection connection;

    private HermesStore(Connection connection)
    {
        this.connection = connection;
    }

    /** Creates the database; in WAL mode, automatic checkpoints are off, so commits stay in the -wal while it is open. */
    public static HermesStore create(Path file, boolean wal)
            throws SQLException
    {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 2000");
            if (wal) {
                statement.execute("PRAGMA journal_mode = WAL");
                statement.execute("PRAGMA wal_autocheckpoint = 0");
            }
            for (String sql : DDL.split(";")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        }
        return new HermesStore(connection);
    }

    public HermesStore session(String id, String source, String parent, String modelConfig, double startedAt, Double endedAt, String endReason)
            throws SQLException
    {
        return execute("INSERT INTO sessions (id, source, user_id, session_key, chat_id, display_name, origin_json, model, model_config, parent_session_id, "
                + "started_at, ended_at, end_reason) VALUES (?, ?, 'user-4711', 'agent:main:telegram:dm:4711', '4711', 'Jane Doe', "
                + "'{\"user_name\":\"Jane Doe\"}', 'model-a', ?, ?, ?, ?, ?)", id, source, modelConfig, parent, startedAt, endedAt, endReason);
    }

    public HermesStore message(String sessionId, String role, String content, double timestamp)
            throws SQLException
    {
        return execute("INSERT INTO messages (session_id, role, content, timestamp) VALUES (?, ?, ?, ?)", sessionId, role, content, timestamp);
    }

    public HermesStore execute(String sql, Object... values)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
        return this;
    }

    public Connection connection()
    {
        return connection;
    }

    @Override
    public void close()
            throws SQLException
    {
        connection.close();
    }
}
