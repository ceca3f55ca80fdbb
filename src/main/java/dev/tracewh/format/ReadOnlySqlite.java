package dev.tracewh.format;

import org.sqlite.SQLiteConfig;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reading an agent's SQLite database (Hermes Agent's state.db, OpenCode's opencode.db, Copilot CLI's session store)
 * while the agent may be writing it: read-only, waiting out a writer's lock, and by the tables and columns the file
 * has, since each agent version adds some.
 */
public final class ReadOnlySqlite
{
    /** How long a read waits for a writer's lock before the file fails and is read again by the next load. */
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;

    private ReadOnlySqlite() {}

    /** Opens {@code file} read-only; the connection can neither write nor create the database. */
    public static Connection open(Path file)
            throws SQLException
    {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        Connection connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA query_only = ON");
        }
        catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** The names of the database's tables and views. */
    public static Set<String> tables(Connection connection)
            throws SQLException
    {
        Set<String> tables = new HashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    /** The names of {@code table}'s columns (none for a table that does not exist). */
    public static Set<String> columns(Connection connection, String table)
            throws SQLException
    {
        Set<String> columns = new HashSet<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rows.next()) {
                columns.add(rows.getString("name"));
            }
        }
        return columns;
    }

    /** The column labels of a result, read once: the driver builds its metadata anew on every call. */
    public static List<String> labels(ResultSet rows)
            throws SQLException
    {
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
            labels.add(rows.getMetaData().getColumnLabel(i));
        }
        return labels;
    }
}
