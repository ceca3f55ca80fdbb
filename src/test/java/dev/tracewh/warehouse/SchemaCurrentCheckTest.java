package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-query check of the schema history that lets commands skip Flyway: it says current only when Flyway would
 * find nothing to do, and leaves every other case (older, edited, failed) to Flyway's judgement and messages.
 */
class SchemaCurrentCheckTest
{
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void theMigrationsFoundWithoutFlywayAreFlywaysWithItsChecksums(TestDatabase.Kind kind)
    {
        try (TestDatabase database = TestDatabase.create(kind); Warehouse warehouse = database.open()) {
            Map<String, Integer> resolvedByFlyway = new HashMap<>();
            for (MigrationInfo migration : warehouse.flyway().load().info().all()) {
                if (migration.getState().isResolved()) {
                    resolvedByFlyway.put(migration.getScript(), migration.getChecksum());
                }
            }
            assertEquals(resolvedByFlyway, ShippedMigrations.of(database.url().vendor()).checksums());
            assertTrue(warehouse.historyMatchesShippedMigrations(), "a warehouse Flyway has just migrated is current");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void anOlderSchemaIsForFlywayToMigrate(TestDatabase.Kind kind)
    {
        try (TestDatabase database = TestDatabase.create(kind)) {
            OlderWarehouse.migrateTo(database.url(), "16");
            try (Warehouse warehouse = Warehouse.open(database.url())) {
                assertFalse(warehouse.historyMatchesShippedMigrations());
            }
            WarehouseException refused = assertThrows(WarehouseException.class, () -> Warehouse.openWithoutMigrating(database.url()));
            assertTrue(refused.getMessage().contains("is at version 16") && refused.getMessage().contains("run tracewh migrate"), refused.getMessage());
            try (Warehouse warehouse = Warehouse.openMigrated(database.url(), notice -> {})) {
                assertEquals(OlderWarehouse.latestVersion(), warehouse.schemaVersion());
                assertTrue(warehouse.historyMatchesShippedMigrations());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aRepeatableMigrationThatChangedIsAppliedAgain(TestDatabase.Kind kind)
    {
        try (TestDatabase database = TestDatabase.create(kind)) {
            try (Warehouse warehouse = database.open()) {
                // what the history holds when this tracewh ships an edited R__views.sql
                warehouse.dsl().execute("update flyway_schema_history set checksum = checksum + 1 where script = 'R__views.sql'");
                assertFalse(warehouse.historyMatchesShippedMigrations());
            }
            WarehouseException refused = assertThrows(WarehouseException.class, () -> Warehouse.openWithoutMigrating(database.url()));
            assertTrue(refused.getMessage().contains("views are older"), refused.getMessage());
            try (Warehouse warehouse = Warehouse.openMigrated(database.url(), notice -> {})) {
                assertEquals(2, warehouse.dsl().fetchCount(warehouse.dsl().selectFrom("flyway_schema_history").where("script = 'R__views.sql'")),
                        "applied again");
                assertTrue(warehouse.historyMatchesShippedMigrations());
            }
            try (Warehouse warehouse = Warehouse.openWithoutMigrating(database.url())) {
                assertTrue(warehouse.isConnected());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aFailedMigrationIsForFlywayToReport(TestDatabase.Kind kind)
    {
        try (TestDatabase database = TestDatabase.create(kind)) {
            try (Warehouse warehouse = database.open()) {
                warehouse.dsl().execute("update flyway_schema_history set success = false where script like 'V17%'");
                assertFalse(warehouse.historyMatchesShippedMigrations());
            }
            WarehouseException refused = assertThrows(WarehouseException.class, () -> Warehouse.openWithoutMigrating(database.url()));
            assertTrue(refused.getMessage().contains("failed migration to version 17") && refused.getMessage().contains("migrate --repair"), refused.getMessage());
        }
    }
}
