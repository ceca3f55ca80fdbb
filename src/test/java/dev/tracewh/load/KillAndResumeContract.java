package dev.tracewh.load;

import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.testing.ChildJvm;
import dev.tracewh.testing.ReplicatedCorpus;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.tracewh.warehouse.schema.Tables.LOAD_RUNS;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills a real {@code tracewh load} process (SIGKILL) part-way, once it has committed a file, loads again, and
 * expects exactly the warehouse a clean single load gives: a file is committed whole with its state, so none is left
 * half-written.
 */
abstract class KillAndResumeContract
{
    private static final int COPIES = 36;
    private static final int ATTEMPTS = 3;
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private static final Duration POLL = Duration.ofMillis(10);

    @TempDir
    Path temp;

    protected abstract TestDatabase.Kind kind();

    /** A fresh database that a separate process can open. */
    protected abstract TestDatabase databaseForAnotherProcess(Path directory);

    @Test
    void killedLoadResumesToTheWarehouseOfACleanLoad()
            throws Exception
    {
        Path corpus = ReplicatedCorpus.write(temp.resolve("corpus"), COPIES);
        int files;
        Map<String, String> clean;
        try (TestDatabase database = TestDatabase.create(kind()); Warehouse warehouse = database.open()) {
            files = load(warehouse, corpus).files().loaded();
            clean = WarehouseChecksum.of(warehouse.dsl());
        }

        // the kill waits for an observable state, a file committed, rather than for a time: a load that is over by
        // then (none should be, with its many batches) is a try that proves nothing, so another one runs
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (TestDatabase killed = databaseForAnotherProcess(temp.resolve("attempt-" + attempt))) {
                Process process = startLoad(killed, corpus);
                if (!awaitACommittedFile(killed, process)) {
                    assertEquals(0, process.exitValue(), () -> "the child load failed: " + ChildJvm.log(temp.resolve("child.log")));
                    continue;
                }
                persistCommits(killed);
                process.destroyForcibly();
                assertTrue(process.waitFor(1, TimeUnit.MINUTES), "the killed load did not end");
                awaitChildConnectionsGone(killed);
                try (Warehouse warehouse = Warehouse.open(killed.url())) {
                    int loaded = warehouse.dsl().fetchCount(SOURCE_FILES);
                    assertTrue(loaded > 0, "the files committed before the kill are lost");
                    // a try whose kill came after the last commit proves nothing
                    if (loaded == files) {
                        continue;
                    }
                    System.out.printf("%s: killed with %d of %d files committed, try %d%n", kind(), loaded, files, attempt + 1);
                    LoadReport resumed = load(warehouse, corpus);
                    assertEquals(files - loaded, resumed.files().loaded(), () -> "the resumed load reads only what the killed one did not commit: " + resumed);
                    assertEquals(clean, WarehouseChecksum.of(warehouse.dsl()));
                    assertEquals(List.of("interrupted", "succeeded"), warehouse.dsl().select(LOAD_RUNS.STATUS).from(LOAD_RUNS)
                            .orderBy(LOAD_RUNS.RUN_ID).fetch(LOAD_RUNS.STATUS), "the killed run, then the resumed one");
                    return;
                }
            }
        }
        fail("each of " + ATTEMPTS + " loads of " + files + " files ended before it was killed");
    }

    /**
     * Waits until the child load has committed a file, as another connection sees it (true), or has ended (false);
     * fails when neither happens within {@link #PATIENCE}, with what the child wrote.
     */
    private boolean awaitACommittedFile(TestDatabase database, Process process)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        SQLException lastError = null;
        while (process.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                fail("the child load committed no file within " + PATIENCE + " (last error: " + lastError + "): " + ChildJvm.log(temp.resolve("child.log")));
            }
            if (childHoldsTheDatabase(database)) {
                try (Connection connection = database.url().connect();
                        Statement statement = connection.createStatement();
                        ResultSet count = statement.executeQuery("select count(*) from source_files")) {
                    count.next();
                    if (count.getInt(1) > 0) {
                        return true;
                    }
                }
                catch (SQLException e) {
                    // the child may be between opening the database and serving it to others
                    lastError = e;
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        return false;
    }

    /** Whether a connection now reads what the child writes, rather than opening the database itself. */
    protected abstract boolean childHoldsTheDatabase(TestDatabase database);

    /** Makes what the child has committed survive its kill, as a database that keeps every commit would. */
    protected abstract void persistCommits(TestDatabase database)
            throws SQLException;

    /** The database URL the child loads into. */
    protected String childUrl(TestDatabase database)
    {
        return database.url().jdbcUrl();
    }

    /** Returns once nothing the killed child sent can still commit or hold a lock. */
    protected abstract void awaitChildConnectionsGone(TestDatabase database)
            throws SQLException, InterruptedException;

    /** A {@code tracewh load} of {@code corpus} in a child JVM, into a database migrated up front. */
    private Process startLoad(TestDatabase database, Path corpus)
            throws IOException
    {
        try (Warehouse warehouse = database.open()) {
            // migrated here so the child spends its time loading
        }
        return ChildJvm.start(temp.resolve("child.log"), List.of(), "load", "--db", childUrl(database), "--format", "claude_code", "--path", corpus.toString());
    }

    private static LoadReport load(Warehouse warehouse, Path corpus)
            throws IOException
    {
        return new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), corpus)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
    }
}
