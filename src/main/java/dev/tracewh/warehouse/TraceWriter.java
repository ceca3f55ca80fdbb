package dev.tracewh.warehouse;

import dev.tracewh.warehouse.schema.tables.records.MessagesRecord;
import dev.tracewh.warehouse.schema.tables.records.SecretFindingsRecord;
import dev.tracewh.warehouse.schema.tables.records.SessionsRecord;
import dev.tracewh.warehouse.schema.tables.records.TokenUsageRecord;
import dev.tracewh.warehouse.schema.tables.records.ToolCallsRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.TableRecord;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;

import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SECRET_FINDINGS;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static java.util.Objects.requireNonNull;

/**
 * Merges traces into the warehouse inside the caller's transaction, a batch at a time so that a load of
 * thousands of small files costs a few statements per batch rather than per file. Each row carries a hash of
 * its values: a trace whose hash is unchanged is skipped whole, a new trace's rows are bulk inserted, and a
 * changed trace's children are diffed by key (a usage row's key is its response key), so an appended session
 * inserts only its new rows.
 * A token usage row belongs to one trace: the same response copied into another file (a resumed or forked
 * session, a sub-agent's response its parent replays) is counted once, by the trace that holds its message, else
 * the one that started first. Usage rows go last in the transaction: writers on
 * several connections decide their owners one transaction at a time. A writer that {@code verifiesUnchanged}
 * (a full refresh) diffs the children of unchanged traces too, and so puts back rows lost since they were written.
 */
public final class TraceWriter
{
    private static final int BATCH_SIZE = 1000;
    /** The two-key advisory lock of token usage ownership ("tw", "us"); the load lock uses the one-key space. */
    private static final int USAGE_LOCK_CLASS = 0x7477;
    private static final int USAGE_LOCK_OBJECT = 0x7573;
    /**
     * How long a writer waits for the usage lock. Another writer holds it for one transaction of a few seconds; a
     * wait this long means a stuck session holds it, and the load says so instead of waiting forever.
     */
    public static final Duration USAGE_LOCK_TIMEOUT = Duration.ofMinutes(10);
    /** PostgreSQL's SQLSTATE lock_not_available: the lock timeout ran out. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final DSLContext dsl;
    private final long runId;
    private final boolean verifiesUnchanged;
    private final Duration usageLockTimeout;

    public TraceWriter(DSLContext dsl, long runId, boolean verifiesUnchanged)
    {
        this(dsl, runId, verifiesUnchanged, USAGE_LOCK_TIMEOUT);
    }

    /** A writer that waits at most {@code usageLockTimeout} for the usage lock (tests shorten it). */
    public TraceWriter(DSLContext dsl, long runId, boolean verifiesUnchanged, Duration usageLockTimeout)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
        this.runId = runId;
        this.verifiesUnchanged = verifiesUnchanged;
        this.usageLockTimeout = requireNonNull(usageLockTimeout, "usageLockTimeout is null");
        if (usageLockTimeout.toMillis() <= 0) {
            // PostgreSQL reads a lock timeout of 0 as no timeout at all
            throw new IllegalArgumentException("usageLockTimeout must be at least a millisecond: " + usageLockTimeout);
        }
    }

    /** Merges traces prepared by {@link TraceRows#of}; a trace id must not repeat in {@code traces}. */
    public WriteCounts write(List<TraceRows> traces)
    {
        Map<String, Existing> existing = existingSessions(traces);
        List<TraceRows> fresh = new ArrayList<>();
        List<TraceRows> changed = new ArrayList<>();
        List<TraceRows> verified = new ArrayList<>();
        int unchanged = 0;
        for (TraceRows rows : traces) {
            SessionsRecord session = rows.session();
            session.setLastRunId(runId);
            Existing old = existing.get(rows.traceId());
            if (old == null) {
                session.setFirstRunId(runId);
                fresh.add(rows);
            }
            else if (!old.hash().equals(session.getRowHash())) {
                session.setFirstRunId(old.firstRunId());
                changed.add(rows);
            }
            else if (verifiesUnchanged) {
                verified.add(rows);
            }
            else {
                unchanged++;
            }
        }
        WriteCounts counts = new WriteCounts(fresh.size(), changed.size(), unchanged, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        counts = counts.plus(insertFresh(fresh));
        for (TraceRows rows : changed) {
            dsl.update(SESSIONS).set(rows.session()).where(SESSIONS.TRACE_ID.eq(rows.traceId())).execute();
            counts = counts.plus(mergeMessagesAndToolCalls(rows));
        }
        // a verified trace is diffed row by row only when the hashes stored for its children, read for the whole
        // batch at once, are not the ones it would write
        List<String> verifiedIds = verified.stream().map(TraceRows::traceId).toList();
        Map<String, Map<Object, String>> storedMessages = storedHashes(MESSAGES, MESSAGES.TRACE_ID, MESSAGES.ORDINAL, MESSAGES.ROW_HASH, verifiedIds);
        Map<String, Map<Object, String>> storedToolCalls = storedHashes(TOOL_CALLS, TOOL_CALLS.TRACE_ID, TOOL_CALLS.TOOL_CALL_ID, TOOL_CALLS.ROW_HASH, verifiedIds);
        Map<String, Map<Object, String>> storedFindings = storedHashes(SECRET_FINDINGS, SECRET_FINDINGS.TRACE_ID, SECRET_FINDINGS.FINDING_KEY,
                SECRET_FINDINGS.ROW_HASH, verifiedIds);
        Map<String, WriteCounts> repairs = new HashMap<>();
        for (TraceRows rows : verified) {
            Map<Object, String> messages = new HashMap<>();
            for (int i = 0; i < rows.messageKeys().size(); i++) {
                messages.put(rows.messageKeys().get(i), rows.messageHashes().get(i));
            }
            Map<Object, String> toolCalls = new HashMap<>();
            rows.toolCalls().forEach(call -> toolCalls.put(call.getToolCallId(), call.getRowHash()));
            Map<Object, String> findings = new HashMap<>();
            rows.secretFindings().forEach(finding -> findings.put(finding.getFindingKey(), finding.getRowHash()));
            boolean intact = messages.equals(storedMessages.getOrDefault(rows.traceId(), Map.of()))
                    && toolCalls.equals(storedToolCalls.getOrDefault(rows.traceId(), Map.of()))
                    && findings.equals(storedFindings.getOrDefault(rows.traceId(), Map.of()));
            repairs.put(rows.traceId(), intact ? WriteCounts.ZERO : mergeMessagesAndToolCalls(rows));
        }

        // usage rows last, one transaction at a time: deciding their owners reads what other writers committed
        lockTokenUsage();
        List<TraceRows> written = new ArrayList<>(fresh);
        written.addAll(changed);
        written.addAll(verified);
        Map<String, List<TokenUsageRecord>> usage = new UsageOwnership(written).resolve();
        counts = counts.plus(insertFreshUsage(fresh, usage));
        for (TraceRows rows : changed) {
            counts = counts.plus(mergeUsage(rows, usage.get(rows.traceId())));
        }
        Map<String, Map<Object, String>> storedUsage = storedHashes(TOKEN_USAGE, TOKEN_USAGE.TRACE_ID, TOKEN_USAGE.RESPONSE_KEY, TOKEN_USAGE.ROW_HASH, verifiedIds);
        for (TraceRows rows : verified) {
            // a verified trace whose children had to be put back counts as updated, one whose rows all held as unchanged
            List<TokenUsageRecord> ownUsage = usage.get(rows.traceId());
            Map<Object, String> usageHashes = new HashMap<>();
            ownUsage.forEach(row -> usageHashes.put(row.getResponseKey(), row.getRowHash()));
            WriteCounts usageRepair = usageHashes.equals(storedUsage.getOrDefault(rows.traceId(), Map.of())) ? WriteCounts.ZERO : mergeUsage(rows, ownUsage);
            WriteCounts repair = repairs.get(rows.traceId()).plus(usageRepair);
            boolean repaired = repair.rowsChanged() > 0;
            counts = counts.plus(repair).plus(new WriteCounts(0, repaired ? 1 : 0, repaired ? 0 : 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        }
        return counts;
    }

    /**
     * Deletes the traces that came from {@code sourcePath} on {@code sourceHost} but are not in {@code keep} (their
     * file was replaced), counting them and the child rows that go with them.
     */
    public WriteCounts deleteOtherTraces(String sourceHost, String sourcePath, Collection<String> keep)
    {
        // a session loaded before hosts were recorded may be another machine's: it is never deleted for this host's file
        Condition fromFile = SESSIONS.SOURCE_PATH.eq(sourcePath).and(SESSIONS.SOURCE_HOST.eq(sourceHost));
        List<String> doomed = dsl.select(SESSIONS.TRACE_ID)
                .from(SESSIONS)
                .where(keep.isEmpty() ? fromFile : fromFile.and(SESSIONS.TRACE_ID.notIn(keep)))
                .fetch(SESSIONS.TRACE_ID);
        if (doomed.isEmpty()) {
            return WriteCounts.ZERO;
        }
        int messages = dsl.fetchCount(MESSAGES, MESSAGES.TRACE_ID.in(doomed));
        int toolCalls = dsl.fetchCount(TOOL_CALLS, TOOL_CALLS.TRACE_ID.in(doomed));
        int usage = dsl.fetchCount(TOKEN_USAGE, TOKEN_USAGE.TRACE_ID.in(doomed));
        int sessions = dsl.deleteFrom(SESSIONS).where(SESSIONS.TRACE_ID.in(doomed)).execute();
        return new WriteCounts(0, 0, 0, sessions, 0, 0, messages, 0, 0, toolCalls, 0, 0, usage, 0);
    }

    /** Where a stored trace was loaded from; {@code host} is null for traces loaded before hosts were recorded. */
    public record Source(String host, String path) {}

    /** The file each of {@code traceIds} already stored was loaded from, by trace id. */
    public Map<String, Source> sources(Collection<String> traceIds)
    {
        Map<String, Source> sources = new HashMap<>();
        List<String> ids = List.copyOf(traceIds);
        for (int from = 0; from < ids.size(); from += BATCH_SIZE) {
            dsl.select(SESSIONS.TRACE_ID, SESSIONS.SOURCE_HOST, SESSIONS.SOURCE_PATH)
                    .from(SESSIONS)
                    .where(SESSIONS.TRACE_ID.in(ids.subList(from, Math.min(ids.size(), from + BATCH_SIZE))))
                    .forEach(row -> sources.put(row.value1(), new Source(row.value2(), row.value3())));
        }
        return sources;
    }

    /** The key and row hash of every stored row of {@code table} that belongs to one of {@code traceIds}, by trace id. */
    private <R extends Record> Map<String, Map<Object, String>> storedHashes(Table<R> table, TableField<R, String> traceIdField, TableField<R, ?> keyField,
            TableField<R, String> hashField, List<String> traceIds)
    {
        Map<String, Map<Object, String>> stored = new HashMap<>();
        for (int from = 0; from < traceIds.size(); from += BATCH_SIZE) {
            dsl.select(traceIdField, keyField, hashField)
                    .from(table)
                    .where(traceIdField.in(traceIds.subList(from, Math.min(traceIds.size(), from + BATCH_SIZE))))
                    .forEach(row -> stored.computeIfAbsent(row.value1(), traceId -> new HashMap<>()).put(row.value2(), row.value3()));
        }
        return stored;
    }

    /** What merging needs of a row already in the warehouse. */
    private record Existing(String hash, Long firstRunId) {}

    private Map<String, Existing> existingSessions(List<TraceRows> traces)
    {
        Map<String, Existing> existing = new HashMap<>();
        List<String> traceIds = traces.stream().map(TraceRows::traceId).toList();
        for (int from = 0; from < traceIds.size(); from += BATCH_SIZE) {
            dsl.select(SESSIONS.TRACE_ID, SESSIONS.ROW_HASH, SESSIONS.FIRST_RUN_ID)
                    .from(SESSIONS)
                    .where(SESSIONS.TRACE_ID.in(traceIds.subList(from, Math.min(traceIds.size(), from + BATCH_SIZE))))
                    .forEach(row -> existing.put(row.value1(), new Existing(row.value2(), row.value3())));
        }
        return existing;
    }

    /** New traces need no diff: their sessions go first (the children reference them), then their messages and tool calls. */
    private WriteCounts insertFresh(List<TraceRows> fresh)
    {
        Chunk<SessionsRecord> sessions = new Chunk<>();
        for (TraceRows rows : fresh) {
            sessions.add(rows.session());
        }
        sessions.flush();
        Chunk<MessagesRecord> messages = new Chunk<>();
        Chunk<ToolCallsRecord> toolCalls = new Chunk<>();
        Chunk<SecretFindingsRecord> findings = new Chunk<>();
        int messageCount = 0;
        int toolCallCount = 0;
        int findingCount = 0;
        List<PostgresCopy.Tuples> messageTuples = new ArrayList<>();
        List<PostgresCopy.Tuples> toolCallTuples = new ArrayList<>();
        boolean postgres = dsl.dialect().family() == SQLDialect.POSTGRES;
        for (TraceRows rows : fresh) {
            TraceRows.CopyTuples tuples = rows.copyTuples();
            if (postgres && tuples != null && tuples.runId() == runId) {
                messageTuples.add(tuples.messages());
                toolCallTuples.add(tuples.toolCalls());
            }
            else {
                for (int i = 0; i < rows.messageKeys().size(); i++) {
                    messages.add(stamped(rows.message(i), MESSAGES.FIRST_RUN_ID, MESSAGES.LAST_RUN_ID, runId));
                }
                for (ToolCallsRecord call : rows.toolCalls()) {
                    toolCalls.add(stamped(call, TOOL_CALLS.FIRST_RUN_ID, TOOL_CALLS.LAST_RUN_ID, runId));
                }
            }
            for (SecretFindingsRecord finding : rows.secretFindings()) {
                findings.add(stamped(finding, SECRET_FINDINGS.FIRST_RUN_ID, SECRET_FINDINGS.LAST_RUN_ID, runId));
            }
            findingCount += rows.secretFindings().size();
            messageCount += rows.messageKeys().size();
            toolCallCount += rows.toolCalls().size();
        }
        messages.flush();
        toolCalls.flush();
        findings.flush();
        PostgresCopy.insertTuples(dsl, MESSAGES, messageTuples);
        PostgresCopy.insertTuples(dsl, TOOL_CALLS, toolCallTuples);
        return new WriteCounts(0, 0, 0, 0, messageCount, 0, 0, toolCallCount, 0, 0, 0, 0, 0, findingCount);
    }

    private WriteCounts insertFreshUsage(List<TraceRows> fresh, Map<String, List<TokenUsageRecord>> usage)
    {
        Chunk<TokenUsageRecord> tokenUsage = new Chunk<>();
        int usageCount = 0;
        for (TraceRows rows : fresh) {
            List<TokenUsageRecord> ownUsage = usage.get(rows.traceId());
            for (TokenUsageRecord row : ownUsage) {
                tokenUsage.add(stamped(row, TOKEN_USAGE.FIRST_RUN_ID, TOKEN_USAGE.LAST_RUN_ID, runId));
            }
            usageCount += ownUsage.size();
        }
        tokenUsage.flush();
        return new WriteCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, usageCount, 0, 0, 0);
    }

    private WriteCounts mergeMessagesAndToolCalls(TraceRows rows)
    {
        String traceId = rows.traceId();
        Diff messageDiff = merge(MESSAGES, MESSAGES.TRACE_ID.eq(traceId), rows.messageKeys(), rows.messageHashes(), rows::message,
                MESSAGES.ROW_HASH, MESSAGES.FIRST_RUN_ID, MESSAGES.LAST_RUN_ID, List.of(MESSAGES.ORDINAL), row -> row.get(MESSAGES.ORDINAL), MESSAGES.ORDINAL::in);
        Diff toolCallDiff = merge(TOOL_CALLS, TOOL_CALLS.TRACE_ID.eq(traceId), rows.toolCalls(), TOOL_CALLS.TOOL_CALL_ID, TOOL_CALLS.ROW_HASH,
                TOOL_CALLS.FIRST_RUN_ID, TOOL_CALLS.LAST_RUN_ID);
        Diff findingDiff = merge(SECRET_FINDINGS, SECRET_FINDINGS.TRACE_ID.eq(traceId), rows.secretFindings(), SECRET_FINDINGS.FINDING_KEY,
                SECRET_FINDINGS.ROW_HASH, SECRET_FINDINGS.FIRST_RUN_ID, SECRET_FINDINGS.LAST_RUN_ID);
        return new WriteCounts(0, 0, 0, 0,
                messageDiff.inserted, messageDiff.updated, messageDiff.deleted,
                toolCallDiff.inserted, toolCallDiff.updated, toolCallDiff.deleted,
                0, 0, 0, findingDiff.inserted + findingDiff.updated);
    }

    private WriteCounts mergeUsage(TraceRows rows, List<TokenUsageRecord> ownUsage)
    {
        Diff usageDiff = merge(TOKEN_USAGE, TOKEN_USAGE.TRACE_ID.eq(rows.traceId()),
                ownUsage.stream().map(TokenUsageRecord::getResponseKey).toList(),
                ownUsage.stream().map(TokenUsageRecord::getRowHash).toList(),
                ownUsage::get, TOKEN_USAGE.ROW_HASH, TOKEN_USAGE.FIRST_RUN_ID, TOKEN_USAGE.LAST_RUN_ID,
                List.of(TOKEN_USAGE.RESPONSE_KEY),
                row -> row.get(TOKEN_USAGE.RESPONSE_KEY),
                TOKEN_USAGE.RESPONSE_KEY::in);
        return new WriteCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, usageDiff.inserted, usageDiff.updated, usageDiff.deleted, 0);
    }

    /**
     * Makes concurrent writers decide usage owners one transaction at a time. PostgreSQL: a transaction-scoped
     * advisory lock, so it is held until the commit that makes this transaction's owners visible, and a wait
     * that would close a cycle with row locks is a deadlock the server detects. A session that holds the lock
     * and never ends (a stuck load, a hand-taken lock) is no deadlock: the wait is bounded by a lock timeout,
     * set for this statement only, and fails naming the lock. H2 loads have one writer.
     */
    private void lockTokenUsage()
    {
        if (dsl.dialect().family() != SQLDialect.POSTGRES) {
            return;
        }
        dsl.execute("set local lock_timeout = " + usageLockTimeout.toMillis());
        try {
            dsl.select(DSL.function("pg_advisory_xact_lock", Object.class, DSL.val(USAGE_LOCK_CLASS), DSL.val(USAGE_LOCK_OBJECT))).fetch();
        }
        catch (DataAccessException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.sqlState())) {
                throw new LockTimeoutException(("waited %s for the token usage lock (PostgreSQL advisory lock %d, %d): another tracewh writer or a "
                        + "stuck session holds it; find the holder with select pid from pg_locks where locktype = 'advisory' and "
                        + "classid = %d and objid = %d and granted (pg_stat_activity says what that session runs)").formatted(
                        describe(usageLockTimeout), USAGE_LOCK_CLASS, USAGE_LOCK_OBJECT, USAGE_LOCK_CLASS, USAGE_LOCK_OBJECT), e);
            }
            throw e;
        }
        // back to the connection's own setting: the rest of the transaction waits for row locks as before
        dsl.execute("set local lock_timeout to default");
    }

    private static String describe(Duration duration)
    {
        long millis = duration.toMillis();
        return millis % 60_000 == 0 ? millis / 60_000 + " min" : millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private record Diff(int inserted, int updated, int deleted) {}

    /** {@link #merge} for rows made up front and keyed by one text column of their trace. */
    private <R extends TableRecord<R>> Diff merge(Table<R> table, Condition owned, List<R> rows, TableField<R, String> keyField, TableField<R, String> hashField,
            TableField<R, Long> firstRunField, TableField<R, Long> lastRunField)
    {
        return merge(table, owned, rows.stream().map(row -> row.get(keyField)).toList(), rows.stream().map(row -> row.get(hashField)).toList(), rows::get,
                hashField, firstRunField, lastRunField, List.of(keyField), row -> row.get(keyField), keyField::in);
    }

    /**
     * Makes the rows of {@code table} selected by {@code owned} equal to the desired rows, given as their keys
     * and hashes ({@code build} makes row i when it must be written): new keys are inserted, keys whose hash
     * changed are replaced (keeping their first run), keys no longer desired are deleted. Only keys and hashes
     * of the existing rows are read, and rows are written in bounded chunks.
     */
    private <R extends TableRecord<R>, K> Diff merge(
            Table<R> table,
            Condition owned,
            List<K> keys,
            List<String> hashes,
            IntFunction<R> build,
            TableField<R, String> hashField,
            TableField<R, Long> firstRunField,
            TableField<R, Long> lastRunField,
            List<TableField<R, ?>> keyFields,
            Function<Record, K> keyOf,
            Function<Collection<K>, Condition> keysIn)
    {
        Map<K, Existing> existing = new HashMap<>();
        List<Field<?>> selected = new ArrayList<>(keyFields);
        selected.add(hashField);
        selected.add(firstRunField);
        dsl.select(selected).from(table).where(owned)
                .forEach(row -> existing.put(keyOf.apply(row), new Existing(row.get(hashField), row.get(firstRunField))));
        List<K> replacedInChunk = new ArrayList<>();
        // replaced rows are deleted just before their new versions are inserted, a chunk at a time
        Chunk<R> chunk = new Chunk<>(() -> {
            delete(table, owned, keysIn, replacedInChunk);
            replacedInChunk.clear();
        });
        int inserted = 0;
        int replaced = 0;
        for (int i = 0; i < keys.size(); i++) {
            Existing old = existing.remove(keys.get(i));
            if (old != null && old.hash().equals(hashes.get(i))) {
                continue;
            }
            if (old == null) {
                inserted++;
            }
            else {
                replaced++;
                replacedInChunk.add(keys.get(i));
            }
            chunk.add(stamped(build.apply(i), firstRunField, lastRunField, old == null ? runId : old.firstRunId()));
        }
        chunk.flush();
        List<K> removed = List.copyOf(existing.keySet());
        delete(table, owned, keysIn, removed);
        return new Diff(inserted, replaced, removed.size());
    }

    private <R extends TableRecord<R>> R stamped(R row, TableField<R, Long> firstRunField, TableField<R, Long> lastRunField, long firstRunId)
    {
        row.set(firstRunField, firstRunId);
        row.set(lastRunField, runId);
        return row;
    }

    /** Rows waiting to be inserted into one table: written every thousand rows or eight million characters. */
    private final class Chunk<R extends TableRecord<R>>
    {
        private static final long MAX_CHARACTERS = 8L << 20;

        private final Runnable beforeInsert;
        private final List<R> rows = new ArrayList<>();
        private long characters;

        Chunk()
        {
            this(() -> {});
        }

        Chunk(Runnable beforeInsert)
        {
            this.beforeInsert = beforeInsert;
        }

        void add(R row)
        {
            rows.add(row);
            for (int i = 0; i < row.size(); i++) {
                if (row.get(i) instanceof String text) {
                    characters += text.length();
                }
            }
            if (rows.size() >= BATCH_SIZE || characters >= MAX_CHARACTERS) {
                flush();
            }
        }

        void flush()
        {
            beforeInsert.run();
            if (!rows.isEmpty()) {
                insert(rows);
            }
            rows.clear();
            characters = 0;
        }
    }

    private <R extends TableRecord<R>, K> void delete(Table<R> table, Condition owned, Function<Collection<K>, Condition> keysIn, List<K> keys)
    {
        for (int from = 0; from < keys.size(); from += BATCH_SIZE) {
            dsl.deleteFrom(table).where(owned.and(keysIn.apply(keys.subList(from, Math.min(keys.size(), from + BATCH_SIZE))))).execute();
        }
    }

    private <R extends TableRecord<R>> void insert(List<R> rows)
    {
        if (dsl.dialect().family() == SQLDialect.POSTGRES) {
            PostgresCopy.insert(dsl, rows);
            return;
        }
        // one statement rendered by jOOQ, every row bound to it through JDBC: jOOQ's own batch binding derives each
        // value's data type again and hands H2 its timestamps as text, 8 % of the writer thread of an H2 load
        Table<R> table = rows.getFirst().getTable();
        Field<?>[] fields = table.fields();
        String sql = dsl.insertInto(table).columns(fields).values(new Object[fields.length]).getSQL();
        dsl.connection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (R row : rows) {
                    for (int i = 0; i < fields.length; i++) {
                        statement.setObject(i + 1, row.get(i));
                    }
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        });
    }

    /**
     * Decides which trace owns each usage row of a batch. A response seen in several traces (a resumed session
     * copies earlier lines, a parent replays a sub-agent's responses) is counted once, by the trace that holds the
     * response's message, else the one that started first (ties: the smaller trace id),
     * whatever order the files load in: the traces of the batch compete with each other and with the owners
     * already stored, and a stored row whose owner loses is deleted before anything is inserted.
     */
    private final class UsageOwnership
    {
        private record Response(String sourceKind, String responseId, String requestId) {}

        /** {@code hasMessage}: the trace holds the response's message, not only its usage (a parent's agent_progress replay). */
        private record Owner(String traceId, OffsetDateTime startedAt, boolean hasMessage) {}

        private final List<TraceRows> traces;
        private final Map<Long, Response> responses = new HashMap<>();

        UsageOwnership(List<TraceRows> traces)
        {
            this.traces = traces;
        }

        /** Each trace's own usage rows, by trace id. */
        Map<String, List<TokenUsageRecord>> resolve()
        {
            Map<Long, Owner> winners = new HashMap<>();
            Set<String> traceIds = new HashSet<>();
            for (TraceRows rows : traces) {
                traceIds.add(rows.traceId());
                for (TokenUsageRecord usage : rows.tokenUsage()) {
                    checkResponse(usage.getResponseKey(), new Response(usage.getSourceKind(), usage.getResponseId(), usage.getRequestId()));
                    Owner owner = new Owner(rows.traceId(), rows.session().getStartedAt(), usage.getMessageOrdinal() != null);
                    winners.merge(usage.getResponseKey(), owner, UsageOwnership::earlier);
                }
            }
            Map<Long, String> stored = new HashMap<>();
            List<Long> keys = List.copyOf(winners.keySet());
            for (int from = 0; from < keys.size(); from += BATCH_SIZE) {
                dsl.select(TOKEN_USAGE.RESPONSE_KEY, TOKEN_USAGE.SOURCE_KIND, TOKEN_USAGE.RESPONSE_ID, TOKEN_USAGE.REQUEST_ID, TOKEN_USAGE.TRACE_ID, SESSIONS.STARTED_AT,
                                TOKEN_USAGE.MESSAGE_ORDINAL)
                        .from(TOKEN_USAGE)
                        .join(SESSIONS).on(SESSIONS.TRACE_ID.eq(TOKEN_USAGE.TRACE_ID))
                        .where(TOKEN_USAGE.RESPONSE_KEY.in(keys.subList(from, Math.min(keys.size(), from + BATCH_SIZE))))
                        .forEach(row -> {
                            long key = row.value1();
                            checkResponse(key, new Response(row.value2(), row.value3(), row.value4()));
                            stored.put(key, row.value5());
                            if (!traceIds.contains(row.value5())) {
                                winners.merge(key, new Owner(row.value5(), row.value6(), row.value7() != null), UsageOwnership::earlier);
                            }
                        });
            }
            List<Long> takenOver = stored.entrySet().stream()
                    .filter(entry -> !winners.get(entry.getKey()).traceId().equals(entry.getValue()))
                    .map(Map.Entry::getKey)
                    .toList();
            for (int from = 0; from < takenOver.size(); from += BATCH_SIZE) {
                dsl.deleteFrom(TOKEN_USAGE)
                        .where(TOKEN_USAGE.RESPONSE_KEY.in(takenOver.subList(from, Math.min(takenOver.size(), from + BATCH_SIZE))))
                        .execute();
            }
            Map<String, List<TokenUsageRecord>> owned = new HashMap<>();
            for (TraceRows rows : traces) {
                owned.put(rows.traceId(), rows.tokenUsage().stream()
                        .filter(usage -> winners.get(usage.getResponseKey()).traceId().equals(rows.traceId()))
                        .toList());
            }
            return owned;
        }

        /** Fails when two different responses share a key: their usage would otherwise be counted as one. */
        private void checkResponse(long key, Response response)
        {
            Response known = responses.putIfAbsent(key, response);
            if (known != null && !known.equals(response)) {
                throw new WarehouseException("token usage of two responses has the same key " + key + " (" + describe(known) + " and "
                        + describe(response) + "); the warehouse cannot hold both", null);
            }
        }

        private static String describe(Response response)
        {
            return "%s response %s, request %s".formatted(response.sourceKind(), response.responseId(),
                    response.requestId().isEmpty() ? "none" : response.requestId());
        }

        /**
         * The owner of a response two traces record: the one that holds its message (a sub-agent's own file rather than
         * its parent's replay of it), else the one that started first, else the smaller trace id.
         */
        private static Owner earlier(Owner first, Owner second)
        {
            if (first.hasMessage() != second.hasMessage()) {
                return first.hasMessage() ? first : second;
            }
            OffsetDateTime firstStart = first.startedAt();
            OffsetDateTime secondStart = second.startedAt();
            if (firstStart != null && secondStart != null && !firstStart.isEqual(secondStart)) {
                return firstStart.isBefore(secondStart) ? first : second;
            }
            if ((firstStart == null) != (secondStart == null)) {
                return firstStart != null ? first : second;
            }
            return first.traceId().compareTo(second.traceId()) <= 0 ? first : second;
        }
    }
}
