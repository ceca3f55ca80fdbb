package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A migration that fails or is killed half-way leaves the warehouse as it was before: on H2 (whose DDL is not
 * transactional) from the copy taken aside, on PostgreSQL by the migration's transaction.
 */
class MigrationRecoveryTest
{
    private static final int ROWS = 50;

    @TempDir
    Path temp;

    @Test
    void failedH2MigrationPutsTheCopyBack()
            throws IOException
    {
        DatabaseUrl url = h2FileAtVersion8();
        try (Warehouse warehouse = Warehouse.open(url)) {
            // migration 9 adds the column, keys the rows and drops the primary key before its last statement fails
            warehouse.dsl().execute("alter table token_usage add constraint token_usage_response_key check (true)");
        }

        WarehouseException failure = assertThrows(WarehouseException.class, () -> Warehouse.openMigrated(url, notice -> {}));
        assertTrue(failure.getMessage().contains("(it is back at schema version 8, restored from the copy taken before migrating): "), failure.getMessage());

        try (Warehouse warehouse = Warehouse.open(url)) {
            assertEquals(List.of("1|true", "1.1|true", "2|true", "3|true", "4|true", "5|true", "6|true", "7|true", "8|true"), versionHistory(warehouse),
                    "no failed migration in the history");
            assertEquals(0, warehouse.dsl().fetchCount(warehouse.dsl().selectFrom("information_schema.columns")
                    .where("table_name = 'token_usage' and column_name = 'response_key'")), "the column migration 9 added is gone");
            assertEquals(1, warehouse.dsl().fetchCount(warehouse.dsl().selectFrom("information_schema.table_constraints")
                    .where("table_name = 'token_usage' and constraint_type = 'PRIMARY KEY'")), "the primary key migration 9 dropped is back");
            assertEquals(ROWS, warehouse.dsl().fetchCount(warehouse.dsl().selectFrom("token_usage")));
            warehouse.dsl().execute("alter table token_usage drop constraint token_usage_response_key");
        }
        assertEquals(List.of("warehouse.mv.db"), filesBesideTheWarehouse(), "no copy left");

        try (Warehouse warehouse = Warehouse.openMigrated(url, notice -> {})) {
            assertEquals(OlderWarehouse.latestVersion(), warehouse.schemaVersion());
            assertEquals(OlderWarehouse.expectedUsageRows(ROWS), OlderWarehouse.usageRows(warehouse));
        }
    }

    /**
     * A process killed during migration 9 left its copy and a file where the migration's first statement ran
     * (a kill leaves no history row); a second attempt without the copy then fails and records the failure.
     */
    @ParameterizedTest(name = "and a failed second attempt: {0}")
    @ValueSource(booleans = {false, true})
    void migrationKilledHalfWayIsRestoredFromItsCopyAtTheNextOpen(boolean failedSecondAttempt)
            throws IOException
    {
        DatabaseUrl url = h2FileAtVersion8();
        Files.copy(temp.resolve("warehouse.mv.db"), temp.resolve("warehouse.mv.db.pre-migration-8"));
        try (Warehouse warehouse = Warehouse.open(url)) {
            warehouse.dsl().execute("alter table token_usage add column response_key bigint");
            if (failedSecondAttempt) {
                assertThrows(WarehouseException.class, warehouse::migrate);
                assertTrue(versionHistory(warehouse).contains("9|false"), versionHistory(warehouse).toString());
            }
        }

        List<String> notices = new ArrayList<>();
        try (Warehouse warehouse = Warehouse.openMigrated(url, notices::add)) {
            assertEquals(OlderWarehouse.latestVersion(), warehouse.schemaVersion());
            assertEquals(OlderWarehouse.expectedUsageRows(ROWS), OlderWarehouse.usageRows(warehouse));
            assertTrue(versionHistory(warehouse).stream().allMatch(version -> version.endsWith("|true")), versionHistory(warehouse).toString());
        }
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.getFirst().contains("restored it from warehouse.mv.db.pre-migration-8"), notices.getFirst());
        assertEquals(List.of("warehouse.mv.db"), filesBesideTheWarehouse(), "the copy is gone once the migration succeeded");
    }

    /** PostgreSQL runs each migration in a transaction (Flyway's default where DDL is transactional). */
    @Test
    void failedPostgresMigrationRollsBack()
    {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
            DatabaseUrl url = database.url();
            OlderWarehouse.migrateTo(url, "8");
            OlderWarehouse.addUsageRows(url, ROWS);
            try (Warehouse warehouse = Warehouse.open(url)) {
                // migration 9 adds its column, then its update fails
                warehouse.dsl().execute("create function refuse_update() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$");
                warehouse.dsl().execute("create trigger refuse_update before update on token_usage for each row execute function refuse_update()");
            }

            WarehouseException failure = assertThrows(WarehouseException.class, () -> Warehouse.openMigrated(url, notice -> {}));
            assertTrue(failure.getMessage().contains("refused"), failure.getMessage());

            try (Warehouse warehouse = Warehouse.open(url)) {
                assertEquals(List.of("1|true", "1.1|true", "2|true", "3|true", "4|true", "5|true", "6|true", "7|true", "8|true"), versionHistory(warehouse),
                        "no failed migration in the history");
                assertEquals(0, warehouse.dsl().fetchCount(warehouse.dsl().selectFrom("information_schema.columns")
                        .where("table_schema = current_schema() and table_name = 'token_usage' and column_name = 'response_key'")),
                        "the column migration 9 added before failing is rolled back");
                warehouse.dsl().execute("drop trigger refuse_update on token_usage");
            }
            try (Warehouse warehouse = Warehouse.openMigrated(url, notice -> {})) {
                assertEquals(OlderWarehouse.latestVersion(), warehouse.schemaVersion());
                assertEquals(OlderWarehouse.expectedUsageRows(ROWS), OlderWarehouse.usageRows(warehouse));
            }
        }
    }

    private DatabaseUrl h2FileAtVersion8()
    {
        DatabaseUrl url = DatabaseUrl.parse(temp.resolve("warehouse").toString());
        OlderWarehouse.migrateTo(url, "8");
        OlderWarehouse.addUsageRows(url, ROWS);
        return url;
    }

    /** The versioned migrations in the history, in order, each with whether it succeeded. */
    private static List<String> versionHistory(Warehouse warehouse)
    {
        return warehouse.dsl().fetch("select version, success from flyway_schema_history where version is not null order by installed_rank")
                .map(row -> row.get(0) + "|" + row.get(1));
    }

    private List<String> filesBesideTheWarehouse()
            throws IOException
    {
        try (Stream<Path> files = Files.list(temp)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> !name.endsWith(".trace.db")).sorted().toList();
        }
    }
}
