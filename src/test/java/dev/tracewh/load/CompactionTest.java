package dev.tracewh.load;

import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tracewh compact} after a load: every row stays, and an H2 file gives back the space the load left behind. */
class CompactionTest
{
    @TempDir
    Path directory;

    @Test
    void h2FileShrinksAndKeepsEveryRow()
            throws IOException
    {
        TestDatabase database = TestDatabase.h2File(directory.resolve("warehouse"));
        Map<String, String> loaded;
        try (Warehouse warehouse = database.open()) {
            loadSyntheticCorpus(warehouse);
            loaded = WarehouseChecksum.of(warehouse.dsl());
            Warehouse.Compaction compaction = warehouse.compact();
            assertTrue(compaction.bytesAfter() < compaction.bytesBefore(), compaction.toString());
            assertTrue(Files.size(directory.resolve("warehouse.mv.db")) < compaction.bytesBefore());
        }
        try (Warehouse reopened = database.open()) {
            assertEquals(loaded, WarehouseChecksum.of(reopened.dsl()));
        }
        database.close();
    }

    @Test
    void postgresVacuumKeepsEveryRow()
            throws IOException
    {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL); Warehouse warehouse = database.open()) {
            loadSyntheticCorpus(warehouse);
            Map<String, String> loaded = WarehouseChecksum.of(warehouse.dsl());
            Warehouse.Compaction compaction = warehouse.compact();
            assertTrue(compaction.bytesBefore() > 0 && compaction.bytesAfter() > 0, compaction.toString());
            assertEquals(loaded, WarehouseChecksum.of(warehouse.dsl()));
        }
    }

    private static void loadSyntheticCorpus(Warehouse warehouse)
            throws IOException
    {
        Path projects = SharedFixtures.path("synthetic/claude_code").resolve("projects");
        LoadReport report = new Loader(warehouse, "test")
                .load(List.of(new SourceRoot(new ClaudeCodeFormat(), projects)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertTrue(report.files().loaded() > 0);
    }
}
