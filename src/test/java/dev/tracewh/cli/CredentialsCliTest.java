package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password given to tracewh in any form is never stored nor printed: not in load_runs or load_errors, not by
 * load, runs or errors (tables or --json), not in the message of a command that cannot connect. The PostgreSQL
 * server of the tests trusts its clients, so it accepts any password.
 */
class CredentialsCliTest
{
    private static final String PASSWORD = "hunter2-secret";

    @TempDir
    Path temp;

    private TestDatabase database;
    private Properties server;

    @BeforeEach
    void createDatabase()
    {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        server = Driver.parseURL(database.url().jdbcUrl(), null);
    }

    @AfterEach
    void dropDatabase()
    {
        database.close();
    }

    @Test
    void aPasswordQueryParameterIsNeitherStoredNorPrinted()
            throws IOException, SQLException
    {
        String url = database.url().jdbcUrl() + "&password=" + PASSWORD;
        assertNeverShown(List.of("--db", url));
        assertNeverShown(List.of("--db=" + url));
    }

    @Test
    void aPasswordInTheUserInfoOfAJdbcUrlIsNeitherStoredNorPrinted()
            throws IOException, SQLException
    {
        assertNeverShown(List.of("--db", "jdbc:postgresql://" + userInfo() + "@" + hostAndPort() + "/" + server.getProperty("PGDBNAME")
                + "?currentSchema=" + server.getProperty("currentSchema")));
    }

    @Test
    void aPasswordInALibpqUrlIsNeitherStoredNorPrinted()
            throws IOException, SQLException
    {
        assertNeverShown(List.of("--db", "postgresql://" + userInfo() + "@" + hostAndPort() + "/" + server.getProperty("PGDBNAME")
                + "?currentSchema=" + server.getProperty("currentSchema")));
    }

    @Test
    void aPasswordInTracewhDbIsNeitherStoredNorPrinted()
            throws IOException, SQLException, InterruptedException
    {
        Map<String, String> environment = Map.of("TRACEWH_DB", "jdbc:postgresql://" + userInfo() + "@" + hostAndPort() + "/" + server.getProperty("PGDBNAME")
                + "?currentSchema=" + server.getProperty("currentSchema"));
        Run load = Cli.inChildJvm(temp, List.of(), environment, "load", "--path", sessions().toString(), "--json");
        assertEquals(1, load.exitCode(), load.all());
        assertTrue(load.out().contains("\"status\":\"partial\""), load.out());
        for (Run run : List.of(load, Cli.inChildJvm(temp, List.of(), environment, "runs"), Cli.inChildJvm(temp, List.of(), environment, "errors", "--json"))) {
            assertFalse(run.all().contains(PASSWORD), run.all());
        }
        assertNothingStoredContainsThePassword();
    }

    @Test
    void aCommandThatCannotConnectDoesNotPrintThePassword()
            throws IOException, InterruptedException
    {
        String closed = "127.0.0.1:" + closedPort();
        String database = "/" + server.getProperty("PGDBNAME");
        List<String> urls = List.of(
                "jdbc:postgresql://" + closed + database + "?user=postgres&password=" + PASSWORD,
                "jdbc:postgresql://" + userInfo() + "@" + closed + database,
                "postgresql://" + userInfo() + "@" + closed + database,
                "postgres://" + userInfo() + "@" + closed + database + "?sslmode=disable");
        for (String url : urls) {
            for (List<String> args : List.of(List.of("load", "--db", url, "--path", temp.toString()), List.of("runs", "--db=" + url))) {
                Run run = run(args.toArray(String[]::new));
                assertEquals(2, run.exitCode(), url + ": " + run.all());
                assertTrue(run.err().contains("cannot open the warehouse"), run.err());
                assertFalse(run.all().contains(PASSWORD), run.all());
            }
        }
        // the driver's own log lines go to the process's stderr
        Run child = Cli.inChildJvm(temp, List.of(), Map.of("TRACEWH_DB", urls.get(1)), "runs");
        assertEquals(2, child.exitCode(), child.all());
        assertFalse(child.all().contains(PASSWORD), child.all());
    }

    @Test
    void runsDoesNotShowAPasswordAnOlderTracewhStored()
            throws IOException, SQLException
    {
        String db = temp.resolve("warehouse").toString();
        assertEquals(1, run("load", "--db", db, "--path", sessions().toString()).exitCode());
        try (Connection connection = DatabaseUrl.parse(db).connect();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("update load_runs set arguments = 'load --db jdbc:postgresql://h/traces?user=a&password=" + PASSWORD + "'");
        }
        for (Run runs : List.of(run("runs", "--db", db, "--wide", "--max-width", "0"), run("runs", "--db", db, "--json"))) {
            assertEquals(0, runs.exitCode(), runs.all());
            assertTrue(runs.out().contains("password=***"), runs.out());
            assertFalse(runs.all().contains(PASSWORD), runs.all());
        }
    }

    @Test
    void aMistypedOptionDoesNotPrintThePassword()
    {
        Run run = run("runs", "--DB", database.url().jdbcUrl() + "&password=" + PASSWORD);
        assertEquals(3, run.exitCode(), run.all());
        assertTrue(run.err().contains("--DB"), run.err());
        assertFalse(run.all().contains(PASSWORD), run.all());
    }

    @Test
    void aPasswordSettingOfAnH2UrlIsNeitherStoredNorPrinted()
            throws IOException
    {
        String url = "jdbc:h2:file:" + temp.resolve("warehouse") + ";PASSWORD=" + PASSWORD;
        Run load = run("load", "--db", url, "--path", sessions().toString(), "--json");
        assertEquals(1, load.exitCode(), load.all());
        assertFalse(load.all().contains(PASSWORD), load.all());
        List<Run> reads = List.of(run("runs", "--db", url), run("runs", "--db", url, "--json"), run("errors", "--db", url),
                run("sql", "--db", url, "--csv", "select * from load_runs"), run("sql", "--db", url, "--csv", "select * from load_errors"));
        for (Run read : reads) {
            assertEquals(0, read.exitCode(), read.all());
            assertFalse(read.all().contains(PASSWORD), read.all());
        }
        Run wrong = run("runs", "--db", url.replace(PASSWORD, "not-" + PASSWORD));
        assertEquals(2, wrong.exitCode(), wrong.all());
        assertFalse(wrong.all().contains(PASSWORD), wrong.all());
    }

    /** Loads (with a line that cannot be read, for a load_errors row) and reads back; nothing may show the password. */
    private void assertNeverShown(List<String> db)
            throws IOException, SQLException
    {
        Path sessions = sessions();
        List<Run> runs = new ArrayList<>();
        // a full refresh reads the broken file again, however often this runs
        Run load = run(args(List.of("load", "--full-refresh", "--path", sessions.toString()), db));
        assertEquals(1, load.exitCode(), load.all());
        runs.add(load);
        runs.add(run(args(List.of("load", "--path", sessions.toString(), "--json"), db)));
        runs.add(run(args(List.of("runs", "--wide"), db)));
        runs.add(run(args(List.of("runs", "--json"), db)));
        runs.add(run(args(List.of("errors"), db)));
        runs.add(run(args(List.of("errors", "--json"), db)));
        for (Run run : runs) {
            assertFalse(run.all().contains(PASSWORD), run.all());
        }
        assertTrue(runs.get(2).out().contains("--path"), runs.get(2).out());
        assertNothingStoredContainsThePassword();
    }

    private void assertNothingStoredContainsThePassword()
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(database.url().jdbcUrl());
                Statement statement = connection.createStatement()) {
            for (String table : List.of("load_runs", "load_errors", "source_files")) {
                int rows = 0;
                try (ResultSet result = statement.executeQuery("select row_to_json(t)::text from " + table + " t")) {
                    while (result.next()) {
                        rows++;
                        assertFalse(result.getString(1).contains(PASSWORD), table + ": " + result.getString(1));
                    }
                }
                assertTrue(rows > 0, table + " is empty");
            }
        }
    }

    private static String[] args(List<String> command, List<String> db)
    {
        List<String> args = new ArrayList<>(command);
        args.addAll(db);
        return args.toArray(String[]::new);
    }

    private String userInfo()
    {
        return server.getProperty("user", "postgres") + ":" + PASSWORD;
    }

    private String hostAndPort()
    {
        return server.getProperty("PGHOST") + ":" + server.getProperty("PGPORT");
    }

    /** The examples, and a session file whose second line is cut off. */
    private Path sessions()
            throws IOException
    {
        Path target = temp.resolve("sessions");
        if (Files.isDirectory(target)) {
            return target;
        }
        Cli.copyExamples(target);
        Files.writeString(target.resolve("broken.jsonl"), "{\"type\":\"user\",\"sessionId\":\"broken\",\"message\":{\"role\":\"user\",\"content\":\"hi\"}}\n"
                + "{\"type\":\"user\",\"sessionId\":\"bro\n");
        return target;
    }

    private static int closedPort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }


}
