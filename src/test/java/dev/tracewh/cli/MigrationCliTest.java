package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.OlderWarehouse;
import dev.tracewh.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which commands migrate the schema, and {@code tracewh migrate --repair}, on an H2 file an older tracewh left. */
class MigrationCliTest
{
    @TempDir
    Path temp;


    @Test
    void commandsThatReadNeverMigrate()
    {
        String db = temp.resolve("warehouse").toString();
        DatabaseUrl url = DatabaseUrl.parse(db);
        OlderWarehouse.migrateTo(url, "8");
        List<String> history = history(url);

        List<List<String>> readers = List.of(
                List.of("sql", "--db", db, "select count(*) from sessions"),
                List.of("runs", "--db", db),
                List.of("errors", "--db", db),
                List.of("secrets", "--db", db),
                List.of("export", "traces", "--db", db, "--out", temp.resolve("traces.jsonl").toString()),
                List.of("export", "sft", "--db", db, "--out", temp.resolve("sft.jsonl").toString()));
        for (List<String> reader : readers) {
            Run run = run(reader.toArray(String[]::new));
            assertEquals(ExitCodes.FAILED, run.exitCode(), reader + ": " + run.err());
            assertTrue(run.err().matches("tracewh: the warehouse schema is at version 8, this tracewh needs [\\d.]+: run tracewh migrate\\R"),
                    reader + ": " + run.err());
            assertEquals(history, history(url), reader + " left the schema history as it was");
        }
        assertFalse(Files.exists(temp.resolve("traces.jsonl")));
        assertFalse(Files.exists(temp.resolve("sft.jsonl")));

        Run migrate = run("migrate", "--db", db);
        assertEquals(ExitCodes.SUCCESS, migrate.exitCode(), migrate.err());
        for (List<String> reader : readers) {
            Run run = run(reader.toArray(String[]::new));
            assertEquals(ExitCodes.SUCCESS, run.exitCode(), reader + ": " + run.err());
        }
    }

    @Test
    void commandsThatReadCreateNoWarehouse()
    {
        Run sql = run("sql", "--db", temp.resolve("folder/warehouse").toString(), "select 1");
        assertEquals(ExitCodes.FAILED, sql.exitCode());
        assertTrue(sql.err().startsWith("tracewh: there is no warehouse at "), sql.err());
        assertFalse(Files.exists(temp.resolve("folder")));
    }

    /** What an older tracewh left when a migration failed on its first statement: a failed row in the history. */
    @Test
    void repairRemovesAFailedMigrationFromTheHistory()
    {
        String db = temp.resolve("warehouse").toString();
        DatabaseUrl url = DatabaseUrl.parse(db);
        OlderWarehouse.migrateTo(url, "8");
        OlderWarehouse.addUsageRows(url, 3);
        try (Warehouse warehouse = Warehouse.open(url)) {
            warehouse.dsl().execute("alter table token_usage add column response_key bigint");
            assertThrows(RuntimeException.class, warehouse::migrate);
            warehouse.dsl().execute("alter table token_usage drop column response_key");
        }

        for (String command : List.of("migrate", "sql")) {
            Run run = command.equals("sql") ? run("sql", "--db", db, "select 1") : run("migrate", "--db", db);
            assertEquals(ExitCodes.FAILED, run.exitCode(), command);
            assertEquals("tracewh: the warehouse has a failed migration to version 9 (token usage response key) in its schema history: "
                    + "run tracewh migrate --repair\n", run.err(), command);
        }

        Run repair = run("migrate", "--repair", "--db", db);
        assertEquals(ExitCodes.SUCCESS, repair.exitCode(), repair.err());
        assertTrue(repair.err().startsWith("tracewh: removed the failed migration to version 9 (token usage response key) from the schema history\n"), repair.err());
        Run count = run("sql", "--db", db, "--csv", "select count(distinct response_key) as keys from token_usage");
        assertEquals("keys\n3\n", count.out(), count.err());
    }

    /** A process killed while migrating left its copy, and the file half-migrated. */
    @Test
    void repairRestoresTheCopyOfAnInterruptedMigration()
            throws IOException
    {
        String db = temp.resolve("warehouse").toString();
        DatabaseUrl url = DatabaseUrl.parse(db);
        OlderWarehouse.migrateTo(url, "8");
        OlderWarehouse.addUsageRows(url, 3);
        Files.copy(temp.resolve("warehouse.mv.db"), temp.resolve("warehouse.mv.db.pre-migration-8"));
        try (Warehouse warehouse = Warehouse.open(url)) {
            warehouse.dsl().execute("alter table token_usage add column response_key bigint");
        }

        Run sql = run("sql", "--db", db, "select 1");
        assertEquals(ExitCodes.FAILED, sql.exitCode());
        assertTrue(sql.err().startsWith("tracewh: a migration of the warehouse did not finish: run tracewh migrate, which restores "), sql.err());

        Run repair = run("migrate", "--repair", "--db", db);
        assertEquals(ExitCodes.SUCCESS, repair.exitCode(), repair.err());
        assertTrue(repair.err().contains("restored it from warehouse.mv.db.pre-migration-8, the copy taken before (schema version 8)"), repair.err());
        assertFalse(Files.exists(temp.resolve("warehouse.mv.db.pre-migration-8")));
        Run count = run("sql", "--db", db, "--csv", "select count(distinct response_key) as keys from token_usage");
        assertEquals("keys\n3\n", count.out(), count.err());
    }

    /** Every column of every history row. */
    private static List<String> history(DatabaseUrl url)
    {
        try (Warehouse warehouse = Warehouse.open(url)) {
            return warehouse.dsl().fetch("select * from flyway_schema_history order by installed_rank").map(Object::toString);
        }
    }

}
