package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("postgres")
class PostgresSqlSafetyTest
        extends SqlSafetyContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.POSTGRESQL;
    }

    /** The server runs on this machine in the test setup, so what its programs and COPY write shows up under /tmp. */
    @Test
    void aSuperuserReachesNoServerFileOrProgram()
            throws IOException
    {
        Path program = Path.of("/tmp/tracewh-program-" + UUID.randomUUID());
        Path file = Path.of("/tmp/tracewh-copy-" + UUID.randomUUID());
        try {
            for (String attempt : List.of(
                    "copy (select 1) to program 'touch " + program + "'",
                    "copy (select 1) to '" + file + "'",
                    "do $$ begin execute 'copy (select 1) to program ''touch " + program + "'''; end $$",
                    "select pg_read_file('/etc/hostname')",
                    "select lo_export(lo_from_bytea(0, 'x'), '" + file + "')",
                    "select set_config('role', 'postgres', true), query_to_xml('select 1', true, false, '')")) {
                Run run = run("sql", "--db", db, attempt);
                assertEquals(ExitCodes.USAGE, run.exitCode(), attempt + ": " + run.out() + run.err());
                assertTrue(run.err().contains("superuser"), run.err());
            }
            Run hiddenWrite = run("sql", "--db", db, "with deleted as (delete from scores returning 1) select count(*) from deleted");
            assertEquals(ExitCodes.USAGE, hiddenWrite.exitCode(), hiddenWrite.err());
            assertTrue(hiddenWrite.err().contains("read-only"), hiddenWrite.err());
            assertFalse(sql("select count(*) as n from scores").equals("n\n0\n"));

            for (List<String> export : List.of(List.of("export", "traces"), List.of("export", "sft"))) {
                Run run = run(with(export, "--db", db, "--where", "pg_read_file('/etc/hostname') is not null", "--out", temp.resolve("out.jsonl").toString()));
                assertEquals(ExitCodes.USAGE, run.exitCode(), export + ": " + run.err());
            }
            assertFalse(Files.exists(program), "user SQL ran a program on the server");
            assertFalse(Files.exists(file), "user SQL wrote a file on the server");
        }
        finally {
            Files.deleteIfExists(program);
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aRoleWithoutServerRightsRunsAnyOneStatementReadOnly()
            throws SQLException, IOException
    {
        String role = "tracewh_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String password = UUID.randomUUID().toString();
        try (Connection admin = DriverManager.getConnection(db);
                Statement statement = admin.createStatement()) {
            statement.execute("create role " + role + " login password '" + password + "'");
            statement.execute("grant usage on schema " + schema(statement) + " to " + role);
            statement.execute("grant select on all tables in schema " + schema(statement) + " to " + role);
        }
        Path program = Path.of("/tmp/tracewh-program-" + UUID.randomUUID());
        try {
            String roleDb = db.replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "")
                    + "&user=" + role + "&password=" + password;

            Run show = run("sql", "--db", roleDb, "show search_path");
            assertEquals(0, show.exitCode(), show.err());
            Run largeObject = run("sql", "--db", roleDb, "--csv", "select lo_from_bytea(0, 'x') as oid");
            assertEquals(0, largeObject.exitCode(), largeObject.err());
            String oid = largeObject.out().lines().skip(1).findFirst().orElseThrow();
            assertEquals("n\n0\n", sql("select count(*) as n from pg_largeobject_metadata where oid = " + oid), "the read-only transaction was not rolled back");

            for (String attempt : List.of("copy (select 1) to program 'touch " + program + "'", "lock table scores", "update sessions set title = 'x'")) {
                Run run = run("sql", "--db", roleDb, attempt);
                assertEquals(ExitCodes.USAGE, run.exitCode(), attempt + ": " + run.err());
            }
            assertFalse(Files.exists(program), "user SQL ran a program on the server");
        }
        finally {
            Files.deleteIfExists(program);
            try (Connection admin = DriverManager.getConnection(db);
                    Statement statement = admin.createStatement()) {
                statement.execute("drop owned by " + role);
                statement.execute("drop role " + role);
            }
        }
    }

    private static String schema(Statement statement)
            throws SQLException
    {
        try (ResultSet result = statement.executeQuery("select current_schema()")) {
            result.next();
            return result.getString(1);
        }
    }
}
