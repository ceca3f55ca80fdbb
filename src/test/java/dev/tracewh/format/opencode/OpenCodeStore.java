package dev.tracewh.format.opencode;

import org.sqlite.SQLiteConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An OpenCode database for tests, written as the agent writes it: a read-write connection of its own, in WAL mode with
 * automatic checkpoints off, so commits stay in the {@code -wal} while it is open. The DDL is the {@code project},
 * {@code session}, {@code message} and {@code part} tables of the 1.18.33 dump (§3.3 of the format reference), written
 * here; {@link #fromDump} builds a database from a whole {@code sqlite3 .dump} instead.
 */
public final class OpenCodeStore
        implements AutoCloseable
{
    private static final String DDL = """
            CREATE TABLE project (id text PRIMARY KEY, worktree text NOT NULL, vcs text, name text, time_created integer NOT NULL,
                time_updated integer NOT NULL, sandboxes text NOT NULL);
            CREATE TABLE session (id text PRIMARY KEY, project_id text NOT NULL, workspace_id text, parent_id text, slug text NOT NULL,
                directory text NOT NULL, path text, title text NOT NULL, version text NOT NULL, share_url text, summary_additions integer,
                summary_deletions integer, summary_files integer, summary_diffs text, metadata text, cost real DEFAULT 0 NOT NULL,
                tokens_input integer DEFAULT 0 NOT NULL, tokens_output integer DEFAULT 0 NOT NULL, tokens_reasoning integer DEFAULT 0 NOT NULL,
                tokens_cache_read integer DEFAULT 0 NOT NULL, tokens_cache_write integer DEFAULT 0 NOT NULL, revert text, permission text,
                agent text, model text, time_created integer NOT NULL, time_updated integer NOT NULL, time_compacting integer,
                time_archived integer);
            CREATE TABLE message (id text PRIMARY KEY, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL,
                data text NOT NULL);
            CREATE TABLE part (id text PRIMARY KEY, message_id text NOT NULL, session_id text NOT NULL, time_created integer NOT NULL,
                time_updated integer NOT NULL, data text NOT NULL);
            CREATE INDEX message_session_time_created_id_idx ON message (session_id, time_created, id);
            CREATE INDEX part_message_id_id_idx ON part (message_id, id);
            CREATE INDEX part_session_idx ON part (session_id);
            INSERT INTO project VALUES ('prj1', '/work/app', 'git', NULL, 1, 1, '[]');
            INSERT INTO project VALUES ('global', '/', NULL, NULL, 1, 1, '[]');
            """;

    private final Connection connection;

    private OpenCodeStore(Connection connection)
    {
        this.connection = connection;
    }

    public static OpenCodeStore create(Path file)
            throws SQLException
    {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 2000");
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("PRAGMA wal_autocheckpoint = 0");
        }
        exec(connection, DDL);
        return new OpenCodeStore(connection);
    }

    /** A database made by running a {@code sqlite3 .dump} script, closed again. */
    public static Path fromDump(Path dump, Path file)
            throws SQLException, IOException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            exec(connection, Files.readString(dump));
        }
        return file;
    }

    /** Runs a script of several statements as SQLite's own shell does (sqlite3_exec), so no statement is split by hand. */
    private static void exec(Connection connection, String script)
            throws SQLException
    {
        ((SQLiteConnection) connection).getDatabase()._exec(script);
    }

    /** A session of project {@code prj1} in {@code /work/app}; {@code parent} null for a root. */
    public OpenCodeStore session(String id, String parent, String title, long created, long updated)
            throws SQLException
    {
        return execute("INSERT INTO session (id, project_id, parent_id, slug, directory, title, version, agent, model, time_created, time_updated) "
                + "VALUES (?, 'prj1', ?, 'slug-' || ?, '/work/app', ?, '1.18.33', 'build', '{\"id\":\"m-1\",\"providerID\":\"p\"}', ?, ?)",
                id, parent, id, title, created, updated);
    }

    public OpenCodeStore message(String id, String session, long created, String data)
            throws SQLException
    {
        return execute("INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)", id, session, created, created, data);
    }

    public OpenCodeStore part(String id, String message, String session, long time, String data)
            throws SQLException
    {
        return execute("INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?, ?)",
                id, message, session, time, time, data);
    }

    /** A user message with one text part. */
    public OpenCodeStore userText(String id, String session, long created, String text)
            throws SQLException
    {
        message(id, session, created, "{\"role\":\"user\",\"time\":{\"created\":" + created + "},\"agent\":\"build\"}");
        return part(id + "-p", id, session, created, "{\"type\":\"text\",\"text\":\"" + text + "\"}");
    }

    /** An assistant message with one step: a text part and a step-finish part with the given input and output tokens. */
    public OpenCodeStore assistantText(String id, String session, long created, String text, long input, long output)
            throws SQLException
    {
        message(id, session, created, "{\"role\":\"assistant\",\"parentID\":\"x\",\"modelID\":\"m-1\",\"providerID\":\"p\",\"time\":{\"created\":" + created
                + "},\"tokens\":{\"input\":" + input + ",\"output\":" + output + ",\"reasoning\":0,\"cache\":{\"read\":0,\"write\":0}},\"cost\":0}");
        part(id + "-a", id, session, created, "{\"type\":\"step-start\"}");
        part(id + "-b", id, session, created, "{\"type\":\"text\",\"text\":\"" + text + "\"}");
        return part(id + "-c", id, session, created, "{\"type\":\"step-finish\",\"reason\":\"stop\",\"tokens\":{\"input\":" + input + ",\"output\":" + output
                + ",\"reasoning\":0,\"cache\":{\"read\":0,\"write\":0}},\"cost\":0}");
    }

    public OpenCodeStore execute(String sql, Object... values)
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

    @Override
    public void close()
            throws SQLException
    {
        connection.close();
    }
}
