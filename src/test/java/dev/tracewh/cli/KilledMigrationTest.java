package dev.tracewh.cli;

import dev.tracewh.testing.ChildJvm;
import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.OlderWarehouse;
import dev.tracewh.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills a real {@code tracewh migrate} process (SIGKILL) while H2 runs migration 9 on an older warehouse, which
 * leaves that migration half-done with no row in the history, and expects the next command to migrate it whole.
 */
class KilledMigrationTest
{
    /** Enough usage rows for migration 9 to take seconds on H2. */
    private static final int ROWS = 8_000;

    @TempDir
    Path temp;

    private enum Stage
    {
        BEFORE, DURING, AFTER
    }

    @Test
    void nextCommandFinishesAMigrationKilledHalfWay()
            throws Exception
    {
        Path template = temp.resolve("template/warehouse");
        OlderWarehouse.migrateTo(DatabaseUrl.parse(template.toString()), "8");
        OlderWarehouse.addUsageRows(DatabaseUrl.parse(template.toString()), ROWS);

        // Flyway logs when migration 9 starts; a kill that lands before its first statement is done (or after its
        // end) moves the next one later (or earlier) until one lands in the middle. On a busy machine the migration's
        // pace varies from try to try, so the search gets more tries than a quiet machine needs
        long earliest = 0;
        long latest = Long.MAX_VALUE;
        long delay = 500;
        for (int attempt = 0; attempt < 16; attempt++) {
            Path database = copyOf(template, "attempt-" + attempt);
            Process process = startMigrate(database);
            awaitMigration9(process);
            Thread.sleep(delay);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Stage stage = stage(DatabaseUrl.parse(database.toString()));
            if (stage == Stage.BEFORE) {
                earliest = delay;
                delay = latest == Long.MAX_VALUE ? 2 * delay : (earliest + latest) / 2;
                continue;
            }
            if (stage == Stage.AFTER) {
                latest = delay;
                delay = (earliest + latest) / 2;
                continue;
            }

            StringWriter err = new StringWriter();
            CommandLine next = TracewhCommand.commandLine();
            next.setErr(new PrintWriter(err));
            next.setOut(new PrintWriter(new StringWriter()));
            assertEquals(ExitCodes.SUCCESS, next.execute("migrate", "--db", database.toString()), err::toString);
            assertTrue(err.toString().contains("restored it from warehouse.mv.db.pre-migration-8"), err::toString);
            try (Warehouse warehouse = Warehouse.open(DatabaseUrl.parse(database.toString()))) {
                assertEquals(OlderWarehouse.latestVersion(), warehouse.schemaVersion());
                assertEquals(OlderWarehouse.expectedUsageRows(ROWS), OlderWarehouse.usageRows(warehouse));
            }
            assertFalse(Files.exists(database.resolveSibling("warehouse.mv.db.pre-migration-8")));
            return;
        }
        fail("could not kill the migration while migration 9 ran");
    }

    private void awaitMigration9(Process process)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!ChildJvm.log(temp.resolve("child.log")).contains("to version \"9")) {
            assertTrue(process.isAlive() && System.nanoTime() < deadline, () -> "the child did not start migration 9: " + ChildJvm.log(temp.resolve("child.log")));
            Thread.sleep(10);
        }
    }

    /** How far the killed migration got, read from the file itself without tracewh's recovery. */
    private static Stage stage(DatabaseUrl url)
    {
        try (Warehouse warehouse = Warehouse.open(url)) {
            if (warehouse.dsl().fetchExists(warehouse.dsl().selectFrom("flyway_schema_history").where("version = '9' and success"))) {
                return Stage.AFTER;
            }
            boolean keyColumn = warehouse.dsl().fetchExists(warehouse.dsl().selectFrom("information_schema.columns")
                    .where("table_name = 'token_usage' and column_name = 'response_key'"));
            return keyColumn ? Stage.DURING : Stage.BEFORE;
        }
    }

    private Path copyOf(Path template, String name)
            throws IOException
    {
        Path database = temp.resolve(name).resolve("warehouse");
        Files.createDirectories(database.getParent());
        Files.copy(template.resolveSibling("warehouse.mv.db"), database.resolveSibling("warehouse.mv.db"));
        return database;
    }

    private Process startMigrate(Path database)
            throws IOException
    {
        // Flyway's info messages say when each migration starts
        return ChildJvm.start(temp.resolve("child.log"), List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info"), "migrate", "--db", database.toString());
    }
}
