package dev.tracewh.load;

import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static dev.tracewh.warehouse.schema.Tables.LOAD_RUNS;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An H2 load stops cleanly, naming the disk, before its file could fill the disk; the next load loads the rest. */
class H2DiskSpaceTest
{
    @TempDir
    Path folder;

    @Test
    void aLoadThatWouldFillTheDiskStopsBeforeWritingAndTheNextLoadCompletesIt()
            throws IOException
    {
        List<SourceRoot> roots = List.of(new SourceRoot(new ClaudeCodeFormat(), SharedFixtures.path("synthetic/claude_code/projects")));
        try (TestDatabase database = TestDatabase.h2File(folder.resolve("warehouse"));
                Warehouse warehouse = database.open()) {
            // more free space than any disk has: the first batch already finds the disk too full
            LoadTuning needsTheImpossible = LoadTuning.of(DatabaseUrl.Vendor.H2).withMinimumFreeDiskBytes(Long.MAX_VALUE / 16);
            IOException stopped = assertThrows(IOException.class,
                    () -> new Loader(warehouse, "test", needsTheImpossible, Warehouse::open).load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE));
            assertTrue(stopped.getMessage().contains(folder.toString()) && stopped.getMessage().contains("MB free"), stopped.getMessage());

            var run = warehouse.dsl().selectFrom(LOAD_RUNS).fetchSingle();
            assertEquals("failed", run.getStatus());
            assertEquals(stopped.getMessage(), run.getFailure());
            assertEquals(0, warehouse.dsl().fetchCount(SESSIONS));

            LoadReport next = new Loader(warehouse, "test").load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
            assertEquals(LoadRunStore.Status.SUCCEEDED, next.status());
            assertTrue(next.files().loaded() > 10);
        }
    }
}
