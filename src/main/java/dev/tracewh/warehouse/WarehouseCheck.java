package dev.tracewh.warehouse;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SelectLimitStep;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static java.util.Objects.requireNonNull;

/**
 * Verifies the warehouse's own invariants, which a load keeps in one transaction per batch but an older version
 * (a full disk, a half-written batch) or a hand-made change may have broken. Each invariant is one set-based
 * statement (a grouped join or an anti-join, never a query per row), so a warehouse of millions of messages is
 * checked in seconds, and each reads one consistent snapshot even while a load writes.
 */
public final class WarehouseCheck
{
    /** How many examples a violation names at most; its count covers all of them. */
    public static final int EXAMPLES = 10;

    /** What must hold, in the order the check reports it. */
    public enum Invariant
    {
        MESSAGE_COUNT("message_count", "sessions whose message_count differs from their active path's rows in messages"),
        TOOL_CALL_COUNT("tool_call_count", "sessions whose tool_call_count differs from their rows in tool_calls"),
        SESSION_FILE_STATE("session_file_state", "sessions whose source_path has no source_files row"),
        FILE_TRACE_COUNT("file_trace_count", "loaded source_files whose trace_count differs from their sessions"),
        USAGE_TRACE("usage_trace", "trace ids of token_usage rows that have no session");

        private final String key;
        private final String description;

        Invariant(String key, String description)
        {
            this.key = key;
            this.description = description;
        }

        /** A stable snake_case name, for machines. */
        public String key()
        {
            return key;
        }

        /** What a violation of it is, in the plural. */
        public String description()
        {
            return description;
        }
    }

    /** One broken row: a trace id or a file path, and what is wrong with it. */
    public record Example(String subject, String detail)
    {
        public Example
        {
            requireNonNull(subject, "subject is null");
            requireNonNull(detail, "detail is null");
        }
    }

    /** How many sessions, files or trace ids break {@code invariant}, and the first {@link #EXAMPLES} of them. */
    public record Violation(Invariant invariant, long count, List<Example> examples)
    {
        public Violation
        {
            requireNonNull(invariant, "invariant is null");
            examples = List.copyOf(examples);
        }
    }

    /** The warehouse's size and every broken invariant; none when the warehouse is sound. */
    public record Findings(long sessions, long sourceFiles, List<Violation> violations)
    {
        public Findings
        {
            violations = List.copyOf(violations);
        }

        public boolean holds()
        {
            return violations.isEmpty();
        }
    }

    private static final String TOTAL = "violation_total";

    private final DSLContext dsl;

    public WarehouseCheck(DSLContext dsl)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
    }

    /** Checks every invariant; changes nothing. */
    public Findings run()
    {
        List<Violation> violations = new ArrayList<>();
        Field<Integer> messages = DSL.count(MESSAGES.ORDINAL).filterWhere(MESSAGES.IS_ACTIVE_PATH);
        check(violations, Invariant.MESSAGE_COUNT,
                dsl.select(SESSIONS.TRACE_ID, SESSIONS.MESSAGE_COUNT, messages, total())
                        .from(SESSIONS)
                        .leftJoin(MESSAGES).on(MESSAGES.TRACE_ID.eq(SESSIONS.TRACE_ID))
                        .groupBy(SESSIONS.TRACE_ID, SESSIONS.MESSAGE_COUNT)
                        .having(SESSIONS.MESSAGE_COUNT.ne(messages))
                        .orderBy(SESSIONS.TRACE_ID),
                row -> new Example(row.value1(), "message_count " + row.value2() + ", active path rows in messages " + row.value3()));
        Field<Integer> toolCalls = DSL.count(TOOL_CALLS.TOOL_CALL_ID);
        check(violations, Invariant.TOOL_CALL_COUNT,
                dsl.select(SESSIONS.TRACE_ID, SESSIONS.TOOL_CALL_COUNT, toolCalls, total())
                        .from(SESSIONS)
                        .leftJoin(TOOL_CALLS).on(TOOL_CALLS.TRACE_ID.eq(SESSIONS.TRACE_ID))
                        .groupBy(SESSIONS.TRACE_ID, SESSIONS.TOOL_CALL_COUNT)
                        .having(SESSIONS.TOOL_CALL_COUNT.ne(toolCalls))
                        .orderBy(SESSIONS.TRACE_ID),
                row -> new Example(row.value1(), "tool_call_count " + row.value2() + ", tool_calls rows " + row.value3()));
        check(violations, Invariant.SESSION_FILE_STATE,
                dsl.select(SESSIONS.TRACE_ID, SESSIONS.SOURCE_PATH, total())
                        .from(SESSIONS)
                        .whereNotExists(DSL.selectOne().from(SOURCE_FILES).where(SOURCE_FILES.PATH.eq(SESSIONS.SOURCE_PATH).and(ofSessionHost())))
                        .orderBy(SESSIONS.TRACE_ID),
                row -> new Example(row.value1(), row.value2()));
        // a file that holds no trace (only snapshots) has no sessions to lose
        Field<Integer> sessions = DSL.count(SESSIONS.TRACE_ID);
        check(violations, Invariant.FILE_TRACE_COUNT,
                dsl.select(SOURCE_FILES.PATH, SOURCE_FILES.TRACE_COUNT, sessions, total())
                        .from(SOURCE_FILES)
                        .leftJoin(SESSIONS).on(SESSIONS.SOURCE_PATH.eq(SOURCE_FILES.PATH).and(ofSessionHost()))
                        .where(SOURCE_FILES.STATUS.eq("loaded").and(SOURCE_FILES.TRACE_COUNT.gt(0)))
                        .groupBy(SOURCE_FILES.SOURCE_HOST, SOURCE_FILES.PATH, SOURCE_FILES.TRACE_COUNT)
                        .having(SOURCE_FILES.TRACE_COUNT.ne(sessions))
                        .orderBy(SOURCE_FILES.PATH),
                row -> new Example(row.value1(), "trace_count " + row.value2() + ", sessions " + row.value3()));
        check(violations, Invariant.USAGE_TRACE,
                dsl.select(TOKEN_USAGE.TRACE_ID, DSL.count(), total())
                        .from(TOKEN_USAGE)
                        .whereNotExists(DSL.selectOne().from(SESSIONS).where(SESSIONS.TRACE_ID.eq(TOKEN_USAGE.TRACE_ID)))
                        .groupBy(TOKEN_USAGE.TRACE_ID)
                        .orderBy(TOKEN_USAGE.TRACE_ID),
                row -> new Example(row.value1(), "token_usage rows " + row.value2()));
        return new Findings(dsl.fetchCount(SESSIONS), dsl.fetchCount(SOURCE_FILES), violations);
    }

    /** The violation's count: the broken rows counted over the whole result (a window), before the examples are cut off. */
    private static Field<Long> total()
    {
        return DSL.count().over().cast(Long.class).as(TOTAL);
    }

    /** Runs {@code broken}, which lists the broken rows in example order with their {@link #total}, and adds its violation. */
    private <R extends Record> void check(List<Violation> violations, Invariant invariant, SelectLimitStep<R> broken, Function<R, Example> example)
    {
        Result<R> rows = broken.limit(EXAMPLES).fetch();
        if (rows.isNotEmpty()) {
            violations.add(new Violation(invariant, rows.getFirst().get(TOTAL, Long.class), rows.map(example::apply)));
        }
    }

    /** A file state and a session of one host; sessions and unclaimed states from before hosts were recorded match any. */
    private static Condition ofSessionHost()
    {
        return SESSIONS.SOURCE_HOST.isNull().or(SOURCE_FILES.SOURCE_HOST.in(SESSIONS.SOURCE_HOST, DSL.inline("")));
    }
}
