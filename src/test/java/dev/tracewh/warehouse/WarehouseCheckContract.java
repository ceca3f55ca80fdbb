package dev.tracewh.warehouse;

import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.format.codex.CodexFormat;
import dev.tracewh.load.LoadListener;
import dev.tracewh.load.LoadOptions;
import dev.tracewh.load.LoadReport;
import dev.tracewh.load.Loader;
import dev.tracewh.load.SourceRoot;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.WarehouseCheck.Example;
import dev.tracewh.warehouse.WarehouseCheck.Findings;
import dev.tracewh.warehouse.WarehouseCheck.Invariant;
import dev.tracewh.warehouse.WarehouseCheck.Violation;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.TableField;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tracewh check} on a loaded warehouse: clean after a load, and each invariant broken the way a lost write
 * would break it names exactly that invariant, with its count and examples. Every database runs it through a subclass.
 */
abstract class WarehouseCheckContract
{
    private TestDatabase database;
    private Warehouse warehouse;
    private DSLContext dsl;

    protected abstract TestDatabase.Kind kind();

    @BeforeEach
    void loadTheSyntheticCorpora()
            throws IOException
    {
        database = TestDatabase.create(kind());
        warehouse = database.open();
        dsl = warehouse.dsl();
        LoadReport report = new Loader(warehouse, "test").load(List.of(
                        new SourceRoot(new ClaudeCodeFormat(), SharedFixtures.path("synthetic/claude_code/projects")),
                        new SourceRoot(new CodexFormat(), SharedFixtures.path("synthetic/codex/sessions"))),
                LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(0, report.files().failed());
    }

    @AfterEach
    void closeWarehouse()
    {
        warehouse.close();
        database.close();
    }

    @Test
    void aLoadedWarehouseHoldsEveryInvariant()
    {
        Findings findings = check();
        assertEquals(List.of(), findings.violations());
        assertTrue(findings.holds());
        assertEquals(dsl.fetchCount(SESSIONS), findings.sessions());
        assertEquals(dsl.fetchCount(SOURCE_FILES), findings.sourceFiles());
        assertTrue(dsl.fetchCount(TOOL_CALLS) > 0 && dsl.fetchCount(TOKEN_USAGE) > 0, "the corpus has every kind of row");
    }

    @Test
    void lostMessagesAreNamedWithTheirSession()
    {
        String traceId = traceWithMost(MESSAGES.TRACE_ID);
        int stored = dsl.fetchCount(MESSAGES, MESSAGES.TRACE_ID.eq(traceId));
        int lastTwo = dsl.select(DSL.max(MESSAGES.ORDINAL)).from(MESSAGES).where(MESSAGES.TRACE_ID.eq(traceId)).fetchSingle().value1() - 1;
        dsl.deleteFrom(MESSAGES).where(MESSAGES.TRACE_ID.eq(traceId).and(MESSAGES.ORDINAL.ge(lastTwo))).execute();

        Violation violation = onlyViolation(Invariant.MESSAGE_COUNT);
        assertEquals(1, violation.count());
        assertEquals(List.of(new Example(traceId, "message_count " + stored + ", active path rows in messages " + (stored - 2))), violation.examples());
    }

    @Test
    void aSessionWithoutAnyMessageIsNamed()
    {
        String traceId = traceWithMost(MESSAGES.TRACE_ID);
        dsl.deleteFrom(MESSAGES).where(MESSAGES.TRACE_ID.eq(traceId)).execute();

        Violation violation = onlyViolation(Invariant.MESSAGE_COUNT);
        assertEquals(List.of(traceId), subjects(violation));
        assertTrue(violation.examples().getFirst().detail().endsWith(", active path rows in messages 0"), violation.toString());
    }

    @Test
    void lostToolCallsAreNamedWithTheirSession()
    {
        String traceId = traceWithMost(TOOL_CALLS.TRACE_ID);
        int stored = dsl.fetchCount(TOOL_CALLS, TOOL_CALLS.TRACE_ID.eq(traceId));
        dsl.deleteFrom(TOOL_CALLS).where(TOOL_CALLS.TRACE_ID.eq(traceId)).execute();

        Violation violation = onlyViolation(Invariant.TOOL_CALL_COUNT);
        assertEquals(List.of(new Example(traceId, "tool_call_count " + stored + ", tool_calls rows 0")), violation.examples());
    }

    @Test
    void sessionsWhoseFileLostItsStateRowAreNamed()
    {
        String path = dsl.select(SESSIONS.SOURCE_PATH).from(SESSIONS).orderBy(SESSIONS.SOURCE_PATH).limit(1).fetchSingle(SESSIONS.SOURCE_PATH);
        dsl.deleteFrom(SOURCE_FILES).where(SOURCE_FILES.PATH.eq(path)).execute();

        Violation violation = onlyViolation(Invariant.SESSION_FILE_STATE);
        List<String> traceIds = dsl.select(SESSIONS.TRACE_ID).from(SESSIONS).where(SESSIONS.SOURCE_PATH.eq(path)).orderBy(SESSIONS.TRACE_ID).fetch(SESSIONS.TRACE_ID);
        assertEquals(traceIds.size(), violation.count());
        assertEquals(traceIds.stream().map(traceId -> new Example(traceId, path)).toList(), violation.examples());
    }

    @Test
    void aLoadedFileWhoseSessionsAreGoneIsNamed()
    {
        Record2<String, String> session = dsl.select(SESSIONS.TRACE_ID, SESSIONS.SOURCE_PATH).from(SESSIONS)
                .orderBy(SESSIONS.TRACE_ID).limit(1).fetchSingle();
        int traceCount = dsl.select(SOURCE_FILES.TRACE_COUNT).from(SOURCE_FILES).where(SOURCE_FILES.PATH.eq(session.value2())).fetchSingle(SOURCE_FILES.TRACE_COUNT);
        dsl.deleteFrom(SESSIONS).where(SESSIONS.TRACE_ID.eq(session.value1())).execute();

        Violation violation = onlyViolation(Invariant.FILE_TRACE_COUNT);
        assertEquals(List.of(new Example(session.value2(), "trace_count " + traceCount + ", sessions " + (traceCount - 1))), violation.examples());
    }

    @Test
    void aFileStateCountingMoreTracesThanItsSessionsIsNamed()
    {
        String path = dsl.select(SOURCE_FILES.PATH).from(SOURCE_FILES).where(SOURCE_FILES.TRACE_COUNT.eq(1)).orderBy(SOURCE_FILES.PATH).limit(1)
                .fetchSingle(SOURCE_FILES.PATH);
        dsl.update(SOURCE_FILES).set(SOURCE_FILES.TRACE_COUNT, 3).where(SOURCE_FILES.PATH.eq(path)).execute();

        Violation violation = onlyViolation(Invariant.FILE_TRACE_COUNT);
        assertEquals(List.of(new Example(path, "trace_count 3, sessions 1")), violation.examples());
    }

    @Test
    void usageRowsOfATraceThatIsNotStoredAreNamed()
    {
        // the foreign key keeps this from happening today; the check covers warehouses where it did not hold
        dsl.execute("alter table token_usage drop constraint token_usage_trace_id_fkey");
        String traceId = traceWithMost(TOKEN_USAGE.TRACE_ID);
        int rows = dsl.update(TOKEN_USAGE).set(TOKEN_USAGE.TRACE_ID, "gone-trace").where(TOKEN_USAGE.TRACE_ID.eq(traceId)).execute();
        assertTrue(rows > 1);

        Violation violation = onlyViolation(Invariant.USAGE_TRACE);
        assertEquals(1, violation.count());
        assertEquals(List.of(new Example("gone-trace", "token_usage rows " + rows)), violation.examples());
    }

    @Test
    void everyBrokenSessionIsCountedAndTenAreNamedInOrder()
    {
        dsl.update(SESSIONS).set(SESSIONS.MESSAGE_COUNT, SESSIONS.MESSAGE_COUNT.plus(1)).execute();

        Violation violation = onlyViolation(Invariant.MESSAGE_COUNT);
        List<String> traceIds = dsl.select(SESSIONS.TRACE_ID).from(SESSIONS).orderBy(SESSIONS.TRACE_ID).fetch(SESSIONS.TRACE_ID);
        assertTrue(traceIds.size() > WarehouseCheck.EXAMPLES, "more broken sessions than examples");
        assertEquals(traceIds.size(), violation.count());
        assertEquals(traceIds.subList(0, WarehouseCheck.EXAMPLES), subjects(violation));
    }

    @Test
    void severalBrokenInvariantsAreEachNamed()
    {
        String traceId = traceWithMost(TOOL_CALLS.TRACE_ID);
        dsl.deleteFrom(MESSAGES).where(MESSAGES.TRACE_ID.eq(traceId)).execute();
        dsl.deleteFrom(TOOL_CALLS).where(TOOL_CALLS.TRACE_ID.eq(traceId)).execute();
        dsl.deleteFrom(SOURCE_FILES).execute();

        Findings findings = check();
        assertEquals(List.of(Invariant.MESSAGE_COUNT, Invariant.TOOL_CALL_COUNT, Invariant.SESSION_FILE_STATE),
                findings.violations().stream().map(Violation::invariant).toList());
        assertEquals(dsl.fetchCount(SESSIONS), findings.violations().get(2).count());
        assertEquals(0, findings.sourceFiles());
    }

    private Findings check()
    {
        return new WarehouseCheck(dsl).run();
    }

    /** The one violation the check finds, which must be of {@code invariant}. */
    private Violation onlyViolation(Invariant invariant)
    {
        Findings findings = check();
        assertEquals(List.of(invariant), findings.violations().stream().map(Violation::invariant).toList(), findings.toString());
        assertFalse(findings.holds());
        return findings.violations().getFirst();
    }

    private static List<String> subjects(Violation violation)
    {
        return violation.examples().stream().map(Example::subject).toList();
    }

    /** The trace with the most rows in the table of {@code traceIdField} (ties: the smallest trace id). */
    private String traceWithMost(TableField<?, String> traceIdField)
    {
        Map<String, Integer> counts = dsl.select(traceIdField, DSL.count()).from(traceIdField.getTable()).groupBy(traceIdField)
                .fetch().stream().collect(Collectors.toMap(row -> row.value1(), row -> row.value2()));
        return counts.entrySet().stream()
                .min(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow()
                .getKey();
    }
}
