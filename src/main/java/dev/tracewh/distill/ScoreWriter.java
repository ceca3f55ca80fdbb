package dev.tracewh.distill;

import dev.tracewh.warehouse.TextSanitizer;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record2;
import org.jooq.Row2;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SCORES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static java.util.Objects.requireNonNull;

/**
 * Stores scores into one judge run inside the caller's transaction. A score that does not fit its rubric or
 * names a target the warehouse does not have becomes an issue and is skipped; the others are upserted on
 * (judge run, target, name), so writing a score again updates it. Targets are checked a chunk at a time.
 */
final class ScoreWriter
{
    private static final int CHUNK_SIZE = 500;

    private final DSLContext dsl;
    private final long judgeRunId;
    private final Map<String, ScoreConfig> configs;
    private final OffsetDateTime now;
    private final List<ScoreRow> pending = new ArrayList<>();
    private final List<ScoreIssue> issues = new ArrayList<>();
    private long written;

    ScoreWriter(DSLContext dsl, long judgeRunId, Map<String, ScoreConfig> configs, OffsetDateTime now)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
        this.judgeRunId = judgeRunId;
        this.configs = Map.copyOf(configs);
        this.now = requireNonNull(now, "now is null");
    }

    void score(ScoreRow row)
    {
        Optional<String> badKey = keyProblem(row);
        if (badKey.isPresent()) {
            issue(row.position(), badKey.get());
            return;
        }
        ScoreConfig config = configs.get(row.name());
        Optional<String> problem = config == null ? Optional.empty() : config.problem(row.value(), row.label());
        if (problem.isPresent()) {
            issue(row.position(), problem.get());
            return;
        }
        pending.add(row);
        if (pending.size() >= CHUNK_SIZE) {
            flush();
        }
    }

    void issue(long position, String message)
    {
        issues.add(new ScoreIssue(position, message));
    }

    void flush()
    {
        Set<Target> known = knownTargets(pending);
        List<Query> upserts = new ArrayList<>();
        for (ScoreRow row : pending) {
            Target target = new Target(row.targetType(), row.traceId(), row.targetKey());
            if (known.contains(target)) {
                upserts.add(upsert(row));
            }
            else {
                issue(row.position(), "unknown " + target.describe());
            }
        }
        if (!upserts.isEmpty()) {
            dsl.batch(upserts).execute();
        }
        written += upserts.size();
        pending.clear();
    }

    long written()
    {
        return written;
    }

    /** The skipped rows by position; a row that failed the same way for each of its scores is reported once. */
    List<ScoreIssue> issues()
    {
        return issues.stream()
                .sorted(Comparator.comparingLong(ScoreIssue::position))
                .distinct()
                .toList();
    }

    private static Optional<String> keyProblem(ScoreRow row)
    {
        String key = row.targetKey();
        return switch (row.targetType()) {
            case TRACE -> key.isEmpty() ? Optional.empty() : Optional.of("a trace score has no target_key, found '" + key + "'");
            case MESSAGE -> key.matches("0|[1-9][0-9]{0,8}") ? Optional.empty() : Optional.of("the target_key of a message score is its ordinal, found '" + key + "'");
            case TOOL_CALL -> key.isEmpty() ? Optional.of("the target_key of a tool_call score is its tool_call_id, found none") : Optional.empty();
        };
    }

    private Query upsert(ScoreRow row)
    {
        Double value = row.value().isPresent() ? row.value().getAsDouble() : null;
        String label = TextSanitizer.clean(row.label().orElse(null));
        String explanation = TextSanitizer.clean(row.explanation().orElse(null));
        return dsl.insertInto(SCORES)
                .set(SCORES.JUDGE_RUN_ID, judgeRunId)
                .set(SCORES.TARGET_TYPE, row.targetType().wireName())
                .set(SCORES.TRACE_ID, row.traceId())
                .set(SCORES.TARGET_KEY, row.targetKey())
                .set(SCORES.NAME, row.name())
                .set(SCORES.VALUE, value)
                .set(SCORES.LABEL, label)
                .set(SCORES.EXPLANATION, explanation)
                .set(SCORES.CREATED_AT, now)
                .set(SCORES.UPDATED_AT, now)
                .onConflict(SCORES.JUDGE_RUN_ID, SCORES.TARGET_TYPE, SCORES.TRACE_ID, SCORES.TARGET_KEY, SCORES.NAME)
                .doUpdate()
                .set(SCORES.VALUE, value)
                .set(SCORES.LABEL, label)
                .set(SCORES.EXPLANATION, explanation)
                .set(SCORES.UPDATED_AT, now);
    }

    private record Target(TargetType type, String traceId, String key)
    {
        String describe()
        {
            return switch (type) {
                case TRACE -> "trace '" + traceId + "'";
                case MESSAGE -> "message " + key + " of trace '" + traceId + "'";
                case TOOL_CALL -> "tool call '" + key + "' of trace '" + traceId + "'";
            };
        }
    }

    /** The targets among {@code rows} that exist in the warehouse. */
    private Set<Target> knownTargets(List<ScoreRow> rows)
    {
        Set<String> traceIds = new HashSet<>();
        List<Row2<String, Integer>> messageKeys = new ArrayList<>();
        List<Row2<String, String>> toolCallKeys = new ArrayList<>();
        for (ScoreRow row : rows) {
            switch (row.targetType()) {
                case TRACE -> traceIds.add(row.traceId());
                case MESSAGE -> messageKeys.add(DSL.row(row.traceId(), Integer.valueOf(row.targetKey())));
                case TOOL_CALL -> toolCallKeys.add(DSL.row(row.traceId(), row.targetKey()));
            }
        }
        Set<Target> known = new HashSet<>();
        if (!traceIds.isEmpty()) {
            for (String traceId : dsl.select(SESSIONS.TRACE_ID).from(SESSIONS).where(SESSIONS.TRACE_ID.in(traceIds)).fetch(SESSIONS.TRACE_ID)) {
                known.add(new Target(TargetType.TRACE, traceId, ""));
            }
        }
        if (!messageKeys.isEmpty()) {
            for (Record2<String, Integer> key : dsl.select(MESSAGES.TRACE_ID, MESSAGES.ORDINAL).from(MESSAGES)
                    .where(DSL.row(MESSAGES.TRACE_ID, MESSAGES.ORDINAL).in(messageKeys)).fetch()) {
                known.add(new Target(TargetType.MESSAGE, key.value1(), String.valueOf(key.value2())));
            }
        }
        if (!toolCallKeys.isEmpty()) {
            for (Record2<String, String> key : dsl.select(TOOL_CALLS.TRACE_ID, TOOL_CALLS.TOOL_CALL_ID).from(TOOL_CALLS)
                    .where(DSL.row(TOOL_CALLS.TRACE_ID, TOOL_CALLS.TOOL_CALL_ID).in(toolCallKeys)).fetch()) {
                known.add(new Target(TargetType.TOOL_CALL, key.value1(), key.value2()));
            }
        }
        return known;
    }
}
