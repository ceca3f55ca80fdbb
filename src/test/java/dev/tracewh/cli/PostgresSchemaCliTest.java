package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On PostgreSQL the warehouse lives in a schema of its own, in a database of its own here, that already holds a user's tables. */
class PostgresSchemaCliTest
{
    private static final String EXAMPLES = "examples/claude_code";

    private TestDatabase database;
    private String url;


    @BeforeEach
    void createDatabase()
            throws SQLException
    {
        database = TestDatabase.postgresDatabase();
        url = database.given();
        execute("create table public.sessions (id integer primary key, note text)");
        execute("insert into public.sessions values (1, 'mine')");
    }

    @AfterEach
    void dropDatabase()
    {
        database.close();
    }

    @Test
    void aDatabaseWithItsOwnTablesHoldsTheWarehouseInSchemaTracewh()
            throws SQLException
    {
        Run load = run("load", "--db", url, "--path", EXAMPLES);
        assertEquals(0, load.exitCode(), load.err());

        assertEquals("3", query("select count(*) from tracewh.sessions"));
        assertEquals("1 mine", query("select count(*) || ' ' || min(note) from public.sessions"));
        assertEquals("id,note", query("select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns "
                + "where table_schema = 'public' and table_name = 'sessions'"));
        assertNull(query("select to_regclass('public.flyway_schema_history')::text"));
        assertNull(query("select to_regclass('public.load_runs')::text"));

        Run sql = run("sql", "--db", url, "--csv", "select count(*) as n from sessions");
        assertEquals("n\n3\n", sql.out(), sql.err());
        assertEquals(0, run("runs", "--db", url).exitCode());
        Run again = run("load", "--db", url, "--path", EXAMPLES, "--json");
        assertTrue(again.out().contains("\"files_unchanged\":3"), again.out());
    }

    @Test
    void schemaNamesAnotherSchemaAndAConflictingCurrentSchemaIsAUsageError()
            throws SQLException
    {
        Run load = run("load", "--db", url, "--schema", "team_traces", "--path", EXAMPLES);
        assertEquals(0, load.exitCode(), load.err());
        assertEquals("3", query("select count(*) from team_traces.sessions"));
        assertNull(query("select to_regnamespace('tracewh')::text"));
        assertEquals("n\n3\n", run("sql", "--db", url + "&currentSchema=team_traces", "--csv", "select count(*) as n from sessions").out());
        assertEquals("n\n3\n", run("sql", "--db", url + "&currentSchema=team_traces", "--schema", "team_traces", "--csv", "select count(*) as n from sessions").out());

        Run conflict = run("runs", "--db", url + "&currentSchema=team_traces", "--schema", "tracewh");
        assertEquals(3, conflict.exitCode(), conflict.err());
        assertTrue(conflict.err().contains("currentSchema"), conflict.err());

        Run invalid = run("runs", "--db", url, "--schema", "Team Traces");
        assertEquals(3, invalid.exitCode(), invalid.err());
        assertTrue(invalid.err().contains("--schema"), invalid.err());
    }

    @Test
    void aWarehouseAnOlderTracewhMadeInPublicIsStillUsed()
            throws SQLException
    {
        execute("drop table public.sessions");
        Run older = run("load", "--db", url + "&currentSchema=public", "--path", EXAMPLES);
        assertEquals(0, older.exitCode(), older.err());

        Run load = run("load", "--db", url, "--path", EXAMPLES, "--json");
        assertEquals(0, load.exitCode(), load.err());
        assertTrue(load.out().contains("\"files_unchanged\":3"), load.out());
        assertTrue(load.err().contains("schema public"), load.err());
        assertNull(query("select to_regnamespace('tracewh')::text"));
        assertEquals("n\n2\n", run("sql", "--db", url, "--csv", "select count(*) as n from load_runs").out());
    }

    private void execute(String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String query(String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            assertTrue(result.next());
            String value = result.getString(1);
            assertFalse(result.next());
            return value;
        }
    }

}
