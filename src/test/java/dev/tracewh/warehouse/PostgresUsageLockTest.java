package dev.tracewh.warehouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.testing.TestDatabase;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A writer waits a bounded time for the token usage lock, then fails naming it, instead of waiting forever while a
 * stuck session holds it. PostgreSQL only: H2 loads have one writer and take no such lock.
 */
@Tag("postgres")
class PostgresUsageLockTest
{
    private static final Path SESSION_FILE = Path.of("examples/claude_code/-home-ana-src-todo-app/3f9c2e71-8a44-4d0b-b6e3-5c2d9a1f0e47.jsonl");
    /** Far longer than the short timeout the writer gets here: reaching it means the writer did not give up. */
    private static final Duration HANG = Duration.ofSeconds(60);

    private TestDatabase database;
    private Warehouse warehouse;
    private DSLContext dsl;
    private Connection holder;

    @BeforeEach
    void holdTheUsageLockOnAnotherConnection()
            throws SQLException
    {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        warehouse = database.open();
        dsl = warehouse.dsl();
        holder = DriverManager.getConnection(database.url().jdbcUrl());
        try (Statement statement = holder.createStatement()) {
            // the two keys TraceWriter locks token usage ownership with ("tw", "us")
            statement.execute("select pg_advisory_lock(29815, 30067)");
        }
    }

    @AfterEach
    void close()
            throws SQLException
    {
        holder.close();
        warehouse.close();
        database.close();
    }

    @Test
    void aWriterThatCannotTakeTheUsageLockFailsNamingItAndWritesNothing()
            throws IOException
    {
        List<TraceRows> traces = traces();
        long runId = new LoadRunStore(dsl).start("test", "test", "test-host", "test", "test", new LoadRunStore.SecretsSetting("off", null));

        WarehouseException failure = assertTimeoutPreemptively(HANG, () -> assertThrows(WarehouseException.class,
                () -> dsl.transaction(configuration -> new TraceWriter(DSL.using(configuration), runId, false, Duration.ofMillis(300)).write(traces))));

        String message = failure.getMessage();
        assertTrue(message.startsWith("waited 300 ms for the token usage lock (PostgreSQL advisory lock 29815, 30067)"), message);
        assertTrue(message.contains("another tracewh writer or a stuck session holds it"), message);
        assertTrue(message.contains("pg_locks where locktype = 'advisory' and classid = 29815 and objid = 30067"), message);
        assertEquals(0, dsl.fetchCount(SESSIONS), "the transaction is rolled back whole");
    }

    @Test
    void onceTheLockIsFreeTheWriteGoesOnWithoutATimeoutForTheRestOfItsTransaction()
            throws IOException, SQLException
    {
        List<TraceRows> traces = traces();
        long runId = new LoadRunStore(dsl).start("test", "test", "test-host", "test", "test", new LoadRunStore.SecretsSetting("off", null));
        holder.close();

        String lockTimeoutAfterWrite = assertTimeoutPreemptively(HANG, () -> dsl.transactionResult(configuration -> {
            DSLContext transaction = DSL.using(configuration);
            // a generous timeout: the lock is database-wide, and tests of other schemas may be writing
            new TraceWriter(transaction, runId, false, Duration.ofSeconds(30)).write(traces);
            return transaction.fetchSingle("show lock_timeout").get(0, String.class);
        }));

        assertEquals("0", lockTimeoutAfterWrite, "the timeout bounds the wait for the usage lock only");
        assertEquals(1, dsl.fetchCount(SESSIONS));
        assertTrue(dsl.fetchCount(TOKEN_USAGE) > 0, "the session has usage rows, so the writer took the lock");
    }

    private static List<TraceRows> traces()
            throws IOException
    {
        try (InputStream input = Files.newInputStream(SESSION_FILE)) {
            ObjectMapper mapper = new ObjectMapper();
            return new ClaudeCodeFormat().parse(SESSION_FILE.toAbsolutePath(), input, ReadOptions.DEFAULT).traces().stream().map(trace -> TraceRows.of(trace, "test-host", List.of(), mapper)).toList();
        }
    }
}
