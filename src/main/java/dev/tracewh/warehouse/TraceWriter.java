package dev.tracewh.warehouse;

import dev.tracewh.warehouse.schema.tables.records.SessionsRecord;
import dev.tracewh.warehouse.schema.tables.records.TokenUsageRecord;
import dev.tracewh.warehouse.schema.tables.records.ToolCallsRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Row2;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.TableRecord;
import org.jooq.impl.DSL;

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
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static java.util.Objects.requireNonNull;

/**
 * Merges traces into the warehouse inside the caller's transaction. Each row carries a hash of its values:
 * a trace whose hash is unchanged is skipped whole; otherwise its children are diffed by natural key, so an
 * appended session inserts only its new rows and a reload of unchanged data writes nothing.
 * A token usage row belongs to one trace: the same response copied into another file (a resumed or forked
 * session) is counted once, by the trace that started first.
 */
public final class TraceWriter
{
    private static final int BATCH_SIZE = 1000;

    private final DSLContext dsl;
    private final long runId;

    public TraceWriter(DSLContext dsl, long runId)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
        this.runId = runId;
    }

    /** Merges one trace, prepared by {@link TraceRows#of}, into the warehouse. */
    public WriteCounts write(TraceRows rows)
    {
        String traceId = rows.traceId();
        SessionsRecord session = rows.session();
        session.setLastRunId(runId);
        Record2<String, Long> existing = dsl.select(SESSIONS.ROW_HASH, SESSIONS.FIRST_RUN_ID)
                .from(SESSIONS)
                .where(SESSIONS.TRACE_ID.eq(traceId))
                .fetchOne();
        if (existing != null && existing.value1().equals(session.getRowHash())) {
            return new WriteCounts(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        if (existing == null) {
            session.setFirstRunId(runId);
            dsl.insertInto(SESSIONS).set(session).execute();
        }
        else {
            session.setFirstRunId(existing.value2());
            dsl.update(SESSIONS).set(session).where(SESSIONS.TRACE_ID.eq(traceId)).execute();
        }

        boolean isNew = existing == null;
        Diff messageDiff = merge(isNew, MESSAGES, MESSAGES.TRACE_ID.eq(traceId), rows.messageKeys(), rows.messageHashes(), rows::message,
                MESSAGES.ROW_HASH, MESSAGES.FIRST_RUN_ID, MESSAGES.LAST_RUN_ID, List.of(MESSAGES.ORDINAL), row -> row.get(MESSAGES.ORDINAL), MESSAGES.ORDINAL::in);
        List<ToolCallsRecord> toolCalls = rows.toolCalls();
        List<TokenUsageRecord> ownUsage = ownedUsage(session, rows.tokenUsage());
        Diff toolCallDiff = merge(isNew, TOOL_CALLS, TOOL_CALLS.TRACE_ID.eq(traceId),
                toolCalls.stream().map(ToolCallsRecord::getToolCallId).toList(),
                toolCalls.stream().map(ToolCallsRecord::getRowHash).toList(),
                toolCalls::get, TOOL_CALLS.ROW_HASH, TOOL_CALLS.FIRST_RUN_ID, TOOL_CALLS.LAST_RUN_ID,
                List.of(TOOL_CALLS.TOOL_CALL_ID), row -> row.get(TOOL_CALLS.TOOL_CALL_ID), TOOL_CALLS.TOOL_CALL_ID::in);
        Diff usageDiff = merge(isNew, TOKEN_USAGE, TOKEN_USAGE.TRACE_ID.eq(traceId),
                ownUsage.stream().map(record -> DSL.row(record.getResponseId(), record.getRequestId())).toList(),
                ownUsage.stream().map(TokenUsageRecord::getRowHash).toList(),
                ownUsage::get, TOKEN_USAGE.ROW_HASH, TOKEN_USAGE.FIRST_RUN_ID, TOKEN_USAGE.LAST_RUN_ID,
                List.of(TOKEN_USAGE.RESPONSE_ID, TOKEN_USAGE.REQUEST_ID),
                row -> DSL.row(row.get(TOKEN_USAGE.RESPONSE_ID), row.get(TOKEN_USAGE.REQUEST_ID)),
                DSL.row(TOKEN_USAGE.RESPONSE_ID, TOKEN_USAGE.REQUEST_ID)::in);

        return new WriteCounts(isNew ? 1 : 0, isNew ? 0 : 1, 0,
                messageDiff.inserted, messageDiff.updated, messageDiff.deleted,
                toolCallDiff.inserted, toolCallDiff.updated, toolCallDiff.deleted,
                usageDiff.inserted, usageDiff.updated, usageDiff.deleted);
    }

    /** Deletes the traces that came from {@code sourcePath} but are not in {@code keep} (their file was rewritten). */
    public int deleteOtherTraces(String sourcePath, Collection<String> keep)
    {
        Condition fromFile = SESSIONS.SOURCE_PATH.eq(sourcePath);
        return dsl.deleteFrom(SESSIONS)
                .where(keep.isEmpty() ? fromFile : fromFile.and(SESSIONS.TRACE_ID.notIn(keep)))
                .execute();
    }

    private record Diff(int inserted, int updated, int deleted) {}

    /** What merging needs of a row already in the warehouse. */
    private record Existing(String hash, Long firstRunId) {}

    /**
     * Makes the rows of {@code table} selected by {@code owned} equal to the desired rows, given as their keys
     * and hashes ({@code build} makes row i when it must be written): new keys are inserted, keys whose hash
     * changed are replaced (keeping their first run), keys no longer desired are deleted. Only keys and hashes
     * of the existing rows are read, and rows are written in bounded chunks.
     */
    private <R extends TableRecord<R>, K> Diff merge(
            boolean newTrace,
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
        if (!newTrace) {
            dsl.select(selected).from(table).where(owned)
                    .forEach(row -> existing.put(keyOf.apply(row), new Existing(row.get(hashField), row.get(firstRunField))));
        }
        Chunk<R, K> chunk = new Chunk<>();
        int inserted = 0;
        int replaced = 0;
        for (int i = 0; i < keys.size(); i++) {
            Existing old = existing.remove(keys.get(i));
            if (old != null && old.hash().equals(hashes.get(i))) {
                continue;
            }
            R row = build.apply(i);
            row.set(firstRunField, old == null ? runId : old.firstRunId());
            row.set(lastRunField, runId);
            if (old == null) {
                inserted++;
            }
            else {
                replaced++;
                chunk.replacedKeys.add(keys.get(i));
            }
            chunk.add(row);
            if (chunk.isFull()) {
                flush(table, owned, keysIn, chunk);
            }
        }
        flush(table, owned, keysIn, chunk);
        List<K> removed = List.copyOf(existing.keySet());
        delete(table, owned, keysIn, removed);
        return new Diff(inserted, replaced, removed.size());
    }

    /** Rows waiting to be written: flushed every thousand rows or eight million characters, whichever comes first. */
    private static final class Chunk<R extends TableRecord<R>, K>
    {
        private static final long MAX_CHARACTERS = 8L << 20;

        final List<R> rows = new ArrayList<>();
        final List<K> replacedKeys = new ArrayList<>();
        long characters;

        void add(R row)
        {
            rows.add(row);
            for (Object value : row.intoArray()) {
                if (value instanceof String text) {
                    characters += text.length();
                }
            }
        }

        boolean isFull()
        {
            return rows.size() >= BATCH_SIZE || characters >= MAX_CHARACTERS;
        }
    }

    private <R extends TableRecord<R>, K> void flush(Table<R> table, Condition owned, Function<Collection<K>, Condition> keysIn, Chunk<R, K> chunk)
    {
        delete(table, owned, keysIn, chunk.replacedKeys);
        insert(chunk.rows);
        chunk.rows.clear();
        chunk.replacedKeys.clear();
        chunk.characters = 0;
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
        for (int from = 0; from < rows.size(); from += BATCH_SIZE) {
            dsl.batchInsert(rows.subList(from, Math.min(rows.size(), from + BATCH_SIZE))).execute();
        }
    }

    /**
     * The usage rows this trace owns. A response seen in several traces (a resumed session copies earlier
     * lines) is counted once, by the trace that started first (ties: the smaller trace id), whatever order the
     * files load in: this trace takes over a response from a later owner and leaves one to an earlier owner.
     */
    private List<TokenUsageRecord> ownedUsage(SessionsRecord session, List<TokenUsageRecord> usage)
    {
        if (usage.isEmpty()) {
            return usage;
        }
        Set<Row2<String, String>> ownedElsewhere = new HashSet<>();
        List<Row2<String, String>> takenOver = new ArrayList<>();
        List<String> responseIds = usage.stream().map(TokenUsageRecord::getResponseId).distinct().toList();
        for (int from = 0; from < responseIds.size(); from += BATCH_SIZE) {
            // only response_id in the predicate: the one index that serves it, whatever the planner's statistics say
            dsl.select(TOKEN_USAGE.SOURCE_KIND, TOKEN_USAGE.RESPONSE_ID, TOKEN_USAGE.REQUEST_ID, TOKEN_USAGE.TRACE_ID, SESSIONS.STARTED_AT)
                    .from(TOKEN_USAGE)
                    .join(SESSIONS).on(SESSIONS.TRACE_ID.eq(TOKEN_USAGE.TRACE_ID))
                    .where(TOKEN_USAGE.RESPONSE_ID.in(responseIds.subList(from, Math.min(responseIds.size(), from + BATCH_SIZE))))
                    .forEach(row -> {
                        if (row.value1().equals(session.getSourceKind()) && !row.value4().equals(session.getTraceId())) {
                            Row2<String, String> key = DSL.row(row.value2(), row.value3());
                            if (startsBefore(row.value5(), row.value4(), session.getStartedAt(), session.getTraceId())) {
                                ownedElsewhere.add(key);
                            }
                            else {
                                takenOver.add(key);
                            }
                        }
                    });
        }
        for (int from = 0; from < takenOver.size(); from += BATCH_SIZE) {
            dsl.deleteFrom(TOKEN_USAGE)
                    .where(TOKEN_USAGE.SOURCE_KIND.eq(session.getSourceKind()))
                    .and(DSL.row(TOKEN_USAGE.RESPONSE_ID, TOKEN_USAGE.REQUEST_ID).in(takenOver.subList(from, Math.min(takenOver.size(), from + BATCH_SIZE))))
                    .execute();
        }
        if (ownedElsewhere.isEmpty()) {
            return usage;
        }
        return usage.stream()
                .filter(row -> !ownedElsewhere.contains(DSL.row(row.getResponseId(), row.getRequestId())))
                .toList();
    }

    private static boolean startsBefore(OffsetDateTime startedAt, String traceId, OffsetDateTime otherStartedAt, String otherTraceId)
    {
        if (startedAt != null && otherStartedAt != null && !startedAt.isEqual(otherStartedAt)) {
            return startedAt.isBefore(otherStartedAt);
        }
        if ((startedAt == null) != (otherStartedAt == null)) {
            return startedAt != null;
        }
        return traceId.compareTo(otherTraceId) < 0;
    }
}
