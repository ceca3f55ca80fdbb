package dev.tracewh.warehouse;

import dev.tracewh.warehouse.schema.tables.records.SourceFilesRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static dev.tracewh.warehouse.schema.Tables.EXPORT_ITEMS;
import static dev.tracewh.warehouse.schema.Tables.JUDGE_RUNS;
import static dev.tracewh.warehouse.schema.Tables.SCORES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static java.util.Objects.requireNonNull;

/**
 * What the warehouse remembers of each source file of one host, so unchanged files are not read again. A file is
 * its host and its path: machines that share a warehouse keep their own states, even for the same path. States from
 * before hosts were recorded have the empty host, and the first host that saves or touches such a path claims it.
 */
public final class SourceFileStore
{
    /**
     * The state of one file as of its last successful load; {@code claimed} is false for a state from before hosts
     * were recorded, which may be another machine's file. {@code secrets} says how its rows were stored (the load's
     * secrets mode and rules), null for a file loaded before secrets were looked for. {@code resumeCursor} is what its
     * format said the next load may resume from, null for most formats.
     */
    public record State(String path, String sourceKind, long sizeBytes, Instant modifiedAt, String contentHash,
                        long consumedBytes, boolean missing, boolean claimed, String secrets, String resumeCursor) {}

    private static final int BATCH_SIZE = 1000;

    private static final String NO_HOST = "";

    private final DSLContext dsl;
    private final String sourceHost;
    private final Condition ofThisHost;

    public SourceFileStore(DSLContext dsl, String sourceHost)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
        this.sourceHost = requireNonNull(sourceHost, "sourceHost is null");
        this.ofThisHost = SOURCE_FILES.SOURCE_HOST.in(sourceHost, NO_HOST);
    }

    /** Every known file of this host and one source kind, by path. */
    public Map<String, State> findAll(String sourceKind)
    {
        Map<String, State> states = new HashMap<>();
        dsl.selectFrom(SOURCE_FILES)
                .where(SOURCE_FILES.SOURCE_KIND.eq(sourceKind))
                .and(ofThisHost)
                // a path this host has claimed wins over an unclaimed state of the same path
                .orderBy(SOURCE_FILES.SOURCE_HOST)
                .forEach(record -> states.put(record.getPath(), new State(record.getPath(), record.getSourceKind(),
                        record.getSizeBytes(), record.getModifiedAt().toInstant(), record.getContentHash(),
                        record.getConsumedBytes(), "missing".equals(record.getStatus()), !NO_HOST.equals(record.getSourceHost()),
                        record.getSecrets(), record.getResumeCursor())));
        return states;
    }

    /** True when files of this host below {@code folder} were loaded before (whether they are still there or not). */
    public boolean holdsFilesBelow(Path folder)
    {
        return dsl.fetchExists(SOURCE_FILES, ofThisHost.and(SOURCE_FILES.PATH.startsWith(folder.toString() + folder.getFileSystem().getSeparator())));
    }

    /** How many sessions of this host are stored from {@code path}. */
    public int sessionCount(String path)
    {
        return dsl.fetchCount(SESSIONS, SESSIONS.SOURCE_PATH.eq(path).and(SESSIONS.SOURCE_HOST.eq(sourceHost)));
    }

    /** A file as loaded by this run, with how many traces and errors it held. */
    public record Loaded(State state, int traceCount, int errorCount) {}

    /** Records files as loaded by run {@code runId}: known files are updated, new ones inserted together. */
    public void saveLoaded(long runId, List<Loaded> files)
    {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<String> paths = files.stream().map(file -> file.state().path()).toList();
        Set<String> known = new HashSet<>();
        for (List<String> chunk : chunks(paths)) {
            known.addAll(dsl.select(SOURCE_FILES.PATH).from(SOURCE_FILES)
                    .where(ofThisHost.and(SOURCE_FILES.PATH.in(chunk)))
                    .fetch(SOURCE_FILES.PATH));
        }
        List<SourceFilesRecord> inserted = new ArrayList<>();
        for (Loaded file : files) {
            SourceFilesRecord record = record(runId, file, now);
            if (known.contains(file.state().path())) {
                dsl.update(SOURCE_FILES).set(record).where(ofThisHost.and(SOURCE_FILES.PATH.eq(file.state().path()))).execute();
            }
            else {
                record.setFirstRunId(runId);
                inserted.add(record);
            }
        }
        if (!inserted.isEmpty()) {
            dsl.batchInsert(inserted).execute();
        }
    }

    private SourceFilesRecord record(long runId, Loaded file, OffsetDateTime now)
    {
        State state = file.state();
        SourceFilesRecord record = dsl.newRecord(SOURCE_FILES);
        record.setSourceHost(sourceHost);
        record.setPath(state.path());
        record.setSourceKind(state.sourceKind());
        record.setSizeBytes(state.sizeBytes());
        record.setModifiedAt(state.modifiedAt().atOffset(ZoneOffset.UTC));
        record.setContentHash(state.contentHash());
        record.setConsumedBytes(state.consumedBytes());
        record.setSecrets(state.secrets());
        record.setResumeCursor(state.resumeCursor());
        record.setTraceCount(file.traceCount());
        record.setErrorCount(file.errorCount());
        record.setStatus("loaded");
        record.setLastSeenAt(now);
        record.setMissingSince(null);
        record.setLastRunId(runId);
        return record;
    }

    /**
     * Notes that known files are still there unchanged, in a few statements for thousands of files. A file marked
     * missing that came back as it was is loaded again.
     */
    public void touch(List<String> paths)
    {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (List<String> chunk : chunks(paths)) {
            dsl.update(SOURCE_FILES)
                    .set(SOURCE_FILES.SOURCE_HOST, sourceHost)
                    .set(SOURCE_FILES.LAST_SEEN_AT, now)
                    .set(SOURCE_FILES.STATUS, "loaded")
                    .setNull(SOURCE_FILES.MISSING_SINCE)
                    .where(ofThisHost.and(SOURCE_FILES.PATH.in(chunk)))
                    .execute();
        }
    }

    /**
     * Missing files purged (or to purge), the traces they held, and what goes with those traces: their scores, the
     * export items that name them, and how many judge runs lose rows (their {@code row_count} is kept true).
     */
    public record Purge(List<String> paths, List<String> traceIds, int scores, int exportItems, int judgeRuns)
    {
        public Purge
        {
            paths = List.copyOf(paths);
            traceIds = List.copyOf(traceIds);
        }
    }

    /**
     * Deletes the traces of files missing since before {@code before}, what goes with them, and the files' state;
     * counts only when {@code dryRun}. A file marked missing that {@code stillExists} says is there again is left
     * alone: a purge never deletes a session whose file exists.
     */
    public Purge purgeMissing(Instant before, boolean dryRun, Predicate<String> stillExists)
    {
        List<String> paths = dsl.select(SOURCE_FILES.PATH)
                .from(SOURCE_FILES)
                .where(SOURCE_FILES.STATUS.eq("missing"))
                // only states this host marked missing: an unclaimed one may be another machine's file, present there
                .and(SOURCE_FILES.SOURCE_HOST.eq(sourceHost))
                .and(SOURCE_FILES.MISSING_SINCE.lt(before.atOffset(ZoneOffset.UTC)))
                .orderBy(SOURCE_FILES.PATH)
                .fetch(SOURCE_FILES.PATH)
                .stream()
                .filter(stillExists.negate())
                .toList();
        List<String> traceIds = new ArrayList<>();
        for (List<String> chunk : chunks(paths)) {
            traceIds.addAll(dsl.select(SESSIONS.TRACE_ID).from(SESSIONS)
                    .where(SESSIONS.SOURCE_PATH.in(chunk).and(SESSIONS.SOURCE_HOST.eq(sourceHost)))
                    .orderBy(SESSIONS.TRACE_ID)
                    .fetch(SESSIONS.TRACE_ID));
        }
        int scores = 0;
        int exportItems = 0;
        Set<Long> judgeRuns = new HashSet<>();
        for (List<String> chunk : chunks(traceIds)) {
            scores += dsl.fetchCount(SCORES, SCORES.TRACE_ID.in(chunk));
            exportItems += dsl.fetchCount(EXPORT_ITEMS, EXPORT_ITEMS.TRACE_ID.in(chunk));
            judgeRuns.addAll(dsl.selectDistinct(SCORES.JUDGE_RUN_ID).from(SCORES).where(SCORES.TRACE_ID.in(chunk)).fetch(SCORES.JUDGE_RUN_ID));
        }
        if (!dryRun) {
            for (List<String> chunk : chunks(traceIds)) {
                dsl.deleteFrom(EXPORT_ITEMS).where(EXPORT_ITEMS.TRACE_ID.in(chunk)).execute();
                // scores, messages, tool calls and usage rows go by their foreign keys
                dsl.deleteFrom(SESSIONS).where(SESSIONS.TRACE_ID.in(chunk)).execute();
            }
            for (List<Long> chunk : chunks(List.copyOf(judgeRuns))) {
                dsl.update(JUDGE_RUNS)
                        .set(JUDGE_RUNS.ROW_COUNT, DSL.selectCount().from(SCORES).where(SCORES.JUDGE_RUN_ID.eq(JUDGE_RUNS.JUDGE_RUN_ID)))
                        .where(JUDGE_RUNS.JUDGE_RUN_ID.in(chunk))
                        .execute();
            }
            for (List<String> chunk : chunks(paths)) {
                dsl.deleteFrom(SOURCE_FILES).where(SOURCE_FILES.SOURCE_HOST.eq(sourceHost).and(SOURCE_FILES.PATH.in(chunk))).execute();
            }
        }
        return new Purge(paths, traceIds, scores, exportItems, judgeRuns.size());
    }

    private static <T> List<List<T>> chunks(List<T> values)
    {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < values.size(); from += BATCH_SIZE) {
            chunks.add(values.subList(from, Math.min(values.size(), from + BATCH_SIZE)));
        }
        return chunks;
    }

    /** Forgets the state of {@code path}, another file's state now (it was stored under a path through a link). */
    public void forget(String path)
    {
        dsl.deleteFrom(SOURCE_FILES).where(ofThisHost.and(SOURCE_FILES.PATH.eq(path))).execute();
    }

    /** Marks a file that disappeared from disk; its rows stay. */
    public void markMissing(long runId, String path)
    {
        // an unclaimed state may be another machine's file: only a state of this host is marked missing
        dsl.update(SOURCE_FILES)
                .set(SOURCE_FILES.STATUS, "missing")
                .set(SOURCE_FILES.MISSING_SINCE, OffsetDateTime.now(ZoneOffset.UTC))
                .set(SOURCE_FILES.LAST_RUN_ID, runId)
                .where(SOURCE_FILES.SOURCE_HOST.eq(sourceHost).and(SOURCE_FILES.PATH.eq(path)))
                .and(SOURCE_FILES.STATUS.ne("missing"))
                .execute();
    }
}
