package dev.tracewh.load;

import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.Warehouse;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        LoadTuning oneFilePerBatch = new LoadTuning(tuning.readAheadBytes(), 1, tuning.batchBytes(), tuning.writers(), tuning.minimumFreeDiskBytes());

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
        warehouse.dsl().execute("set statement_timeout = '1s'");
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
