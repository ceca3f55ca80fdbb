package dev.tracewh.load;

import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.Warehouse;
import dev.tracewh.warehouse.WarehouseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static dev.tracewh.warehouse.schema.Tables.LOAD_RUNS;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the server can do to a PostgreSQL load: terminate its writers, time out its statistics refresh. */
class PostgresWriterFailureTest
{
    private static final int FILES = 20;

    @TempDir
    Path projects;

    private TestDatabase database;
    private Warehouse warehouse;

    @BeforeEach
    void openWarehouse()
            throws IOException
    {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        warehouse = database.open();
        for (int i = 0; i < FILES; i++) {
            String session = "00000000-0000-4000-8000-%012d".formatted(i);
            Files.writeString(projects.resolve(session + ".jsonl"), """
                    {"type":"user","uuid":"u1","sessionId":"%s","timestamp":"2025-07-01T10:00:00.000Z","message":{"role":"user","content":"hello %d"}}
                    """.formatted(session, i));
        }
    }

    @AfterEach
    void closeWarehouse()
    {
        warehouse.close();
        database.close();
    }

    @Test
    void writersWhoseBackendsAreTerminatedAreReplacedAndTheirBatchesWrittenAgain()
            throws IOException
    {
        List<Long> writerPids = new CopyOnWriteArrayList<>();
        Function<DatabaseUrl, Warehouse> watchedConnections = url -> {
            Warehouse writer = Warehouse.open(url);
            writerPids.add(writer.dsl().fetchSingle("select pg_backend_pid()").get(0, Long.class));
            return writer;
        };
        LoadListener terminateAfterTheFirstFile = new LoadListener()
        {
            private boolean terminated;

            @Override
            public void fileDone(PlannedFile file)
            {
                if (!terminated) {
                    terminated = true;
                    writerPids.forEach(pid -> execute("select pg_terminate_backend(" + pid + ")"));
                }
            }
        };
        LoadTuning tuning = LoadTuning.of(DatabaseUrl.Vendor.POSTGRESQL);
        LoadTuning oneFilePerBatch = tuning.withBatchFiles(1);

        LoadReport report = new Loader(warehouse, "test", oneFilePerBatch, watchedConnections)
                .load(List.of(new SourceRoot(new ClaudeCodeFormat(), projects)), LoadOptions.INCREMENTAL, "test", terminateAfterTheFirstFile);

        assertEquals(LoadRunStore.Status.SUCCEEDED, report.status());
        assertEquals(FILES, report.files().loaded());
        assertEquals(FILES, warehouse.dsl().fetchCount(SESSIONS));
        assertTrue(writerPids.size() > tuning.writers(), "no writer was replaced: " + writerPids);
    }

    @Test
    void aStatisticsRefreshThatTimesOutIsAWarningNotAFailedLoad()
            throws IOException, SQLException
    {
        // only lock waits time out: any other statement of the load may take long on a busy machine
        warehouse.dsl().execute("set lock_timeout = '1s'");
        try (Connection blocker = DriverManager.getConnection(warehouse.url().jdbcUrl())) {
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                // ANALYZE waits for this lock; the load's own writes do not
                statement.execute("lock table source_files in share update exclusive mode");
            }
            LoadReport report = new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), projects)), LoadOptions.INCREMENTAL, "test",
                    LoadListener.NONE);
            assertEquals(LoadRunStore.Status.SUCCEEDED, report.status());
            assertEquals(FILES, warehouse.dsl().fetchCount(SESSIONS));
            assertEquals(1, report.warnings().size());
            assertTrue(report.warnings().getFirst().contains("statistics"), report.warnings().toString());
            blocker.rollback();
        }
    }

    @Test
    void aLoadWhoseUsageLockStaysHeldStopsWithTheReasonInsteadOfRetryingEveryFile()
            throws SQLException
    {
        LoadTuning shortWait = LoadTuning.of(DatabaseUrl.Vendor.POSTGRESQL).withUsageLockTimeout(Duration.ofMillis(500));
        try (Connection holder = DriverManager.getConnection(warehouse.url().jdbcUrl());
                Statement statement = holder.createStatement()) {
            // the two keys of TraceWriter's token usage lock, held as a stuck session would
            statement.execute("select pg_advisory_lock(29815, 30067)");
            long started = System.nanoTime();
            WarehouseException stopped = assertThrows(WarehouseException.class, () -> new Loader(warehouse, "test", shortWait, Warehouse::open)
                    .load(List.of(new SourceRoot(new ClaudeCodeFormat(), projects)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE));
            assertTrue(stopped.getMessage().contains("token usage lock"), stopped.getMessage());
            // one wait per writer at most, not one per file
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(FILES / 2).toNanos(), "the load retried file by file");
            assertEquals("failed", warehouse.dsl().select(LOAD_RUNS.STATUS).from(LOAD_RUNS).fetchSingle().value1());
            assertEquals(0, warehouse.dsl().fetchCount(SESSIONS));
        }
    }

    private void execute(String sql)
    {
        try (Connection connection = DriverManager.getConnection(warehouse.url().jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
