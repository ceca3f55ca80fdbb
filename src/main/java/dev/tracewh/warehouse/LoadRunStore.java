package dev.tracewh.warehouse;

import dev.tracewh.warehouse.schema.tables.records.LoadRunsRecord;
import org.jooq.DSLContext;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static dev.tracewh.warehouse.schema.Tables.LOAD_ERRORS;
import static dev.tracewh.warehouse.schema.Tables.LOAD_RUNS;
import static java.util.Objects.requireNonNull;

/** The audit trail: one {@code load_runs} row per load, and {@code load_errors} for what it could not read. */
public final class LoadRunStore
{
    public enum Status
    {
        /** {@code INTERRUPTED}: the process ended without finishing the run; a later load of its lock scope found it. */
        RUNNING, SUCCEEDED, PARTIAL, FAILED, INTERRUPTED;

        String wireName()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** File-level counts of a run, next to the row counts of {@link WriteCounts}. */
    public record FileCounts(int scanned, int loaded, int unchanged, int failed, int missing, int errors, long bytesRead) {}

    private final DSLContext dsl;

    public LoadRunStore(DSLContext dsl)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
    }

    /**
     * Marks the runs of {@code lockScope} that are still {@code running} as interrupted. Call it holding the scope's
     * lock: then none of them can still be going.
     */
    public void markInterrupted(String lockScope)
    {
        dsl.update(LOAD_RUNS)
                .set(LOAD_RUNS.STATUS, Status.INTERRUPTED.wireName())
                .set(LOAD_RUNS.ENDED_AT, now())
                .where(LOAD_RUNS.STATUS.eq(Status.RUNNING.wireName()))
                .and(LOAD_RUNS.LOCK_SCOPE.eq(requireNonNull(lockScope, "lockScope is null")))
                .execute();
    }

    /**
     * Marks run {@code runId} interrupted as its process is stopped (Ctrl-C): it may already have been recorded as
     * failed by what the stopping made fail; a run that ended otherwise is left as it is.
     */
    public void markInterrupted(long runId)
    {
        dsl.update(LOAD_RUNS)
                .set(LOAD_RUNS.STATUS, Status.INTERRUPTED.wireName())
                .set(LOAD_RUNS.ENDED_AT, now())
                .where(LOAD_RUNS.RUN_ID.eq(runId))
                .and(LOAD_RUNS.STATUS.in(Status.RUNNING.wireName(), Status.FAILED.wireName()))
                .execute();
    }

    /** The width of load_runs.secrets_rules: a user's rules file with a long path is cut, not a failed load. */
    private static final int MAX_SECRETS_RULES_LENGTH = 1024;

    /** How a load treats secrets: its mode ({@code redact}, {@code detect}, {@code off}) and its rules (null when off). */
    public record SecretsSetting(String mode, String rules) {}

    public long start(String arguments, String lockScope, String sourceHost, String toolVersion, String schemaVersion, SecretsSetting secrets)
    {
        return dsl.insertInto(LOAD_RUNS)
                .set(LOAD_RUNS.STARTED_AT, now())
                .set(LOAD_RUNS.STATUS, Status.RUNNING.wireName())
                .set(LOAD_RUNS.LOCK_SCOPE, lockScope)
                .set(LOAD_RUNS.SOURCE_HOST, sourceHost)
                .set(LOAD_RUNS.ARGUMENTS, arguments)
                .set(LOAD_RUNS.TOOL_VERSION, toolVersion)
                .set(LOAD_RUNS.SCHEMA_VERSION, schemaVersion)
                .set(LOAD_RUNS.SECRETS_MODE, secrets.mode())
                .set(LOAD_RUNS.SECRETS_RULES, secrets.rules() == null || secrets.rules().length() <= MAX_SECRETS_RULES_LENGTH ? secrets.rules()
                        : secrets.rules().substring(0, MAX_SECRETS_RULES_LENGTH))
                .returning(LOAD_RUNS.RUN_ID)
                .fetchOne()
                .getRunId();
    }

    public void finish(long runId, Status status, FileCounts files, WriteCounts rows, double seconds)
    {
        dsl.update(LOAD_RUNS).set(finished(status, files, rows, seconds)).where(LOAD_RUNS.RUN_ID.eq(runId)).execute();
    }

    /** Ends a run that failed after it started, with what it had done and why it stopped. */
    public void fail(long runId, FileCounts files, WriteCounts rows, double seconds, String failure)
    {
        LoadRunsRecord record = finished(Status.FAILED, files, rows, seconds);
        record.setFailure(TextSanitizer.clean(failure));
        dsl.update(LOAD_RUNS).set(record).where(LOAD_RUNS.RUN_ID.eq(runId)).execute();
    }

    private LoadRunsRecord finished(Status status, FileCounts files, WriteCounts rows, double seconds)
    {
        LoadRunsRecord record = dsl.newRecord(LOAD_RUNS);
        record.setEndedAt(now());
        record.setStatus(status.wireName());
        record.setFilesScanned(files.scanned());
        record.setFilesLoaded(files.loaded());
        record.setFilesUnchanged(files.unchanged());
        record.setFilesFailed(files.failed());
        record.setFilesMissing(files.missing());
        record.setErrors(files.errors());
        record.setBytesRead(files.bytesRead());
        record.setTracesInserted(rows.tracesInserted());
        record.setTracesUpdated(rows.tracesUpdated());
        record.setTracesUnchanged(rows.tracesUnchanged());
        record.setTracesDeleted(rows.tracesDeleted());
        record.setMessagesInserted(rows.messagesInserted());
        record.setMessagesUpdated(rows.messagesUpdated());
        record.setMessagesDeleted(rows.messagesDeleted());
        record.setToolCallsInserted(rows.toolCallsInserted());
        record.setToolCallsUpdated(rows.toolCallsUpdated());
        record.setToolCallsDeleted(rows.toolCallsDeleted());
        record.setTokenRowsInserted(rows.tokenRowsInserted());
        record.setTokenRowsUpdated(rows.tokenRowsUpdated());
        record.setTokenRowsDeleted(rows.tokenRowsDeleted());
        record.setSeconds(seconds);
        return record;
    }

    /** Records a line (lineNumber > 0) or a whole file (lineNumber null) that could not be loaded. */
    public void recordError(long runId, String sourcePath, Long lineNumber, String errorClass, String message, String excerpt)
    {
        dsl.insertInto(LOAD_ERRORS)
                .set(LOAD_ERRORS.RUN_ID, runId)
                .set(LOAD_ERRORS.SOURCE_PATH, sourcePath)
                .set(LOAD_ERRORS.LINE_NUMBER, lineNumber)
                .set(LOAD_ERRORS.ERROR_CLASS, errorClass)
                .set(LOAD_ERRORS.MESSAGE, TextSanitizer.clean(message))
                .set(LOAD_ERRORS.EXCERPT, TextSanitizer.clean(excerpt))
                .execute();
    }

    private static OffsetDateTime now()
    {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
