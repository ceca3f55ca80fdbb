package dev.tracewh.distill;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/** Runs a {@link SqlJudge} and stores its rows as a new judge run (kind sql, with the SQL's SHA-256), in one transaction. */
public final class JudgeRunner
{
    private static final List<String> COLUMNS = List.of("trace_id", "name", "value", "label", "explanation");
    private static final int FETCH_SIZE = 500;

    private final DSLContext dsl;
    private final ObjectMapper mapper;

    public JudgeRunner(DSLContext dsl, ObjectMapper mapper)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    public ScoringResult run(SqlJudge judge)
    {
        requireNonNull(judge, "judge is null");
        String parameters = mapper.createObjectNode().put("source", judge.source()).toString();
        // PostgreSQL streams a cursor only inside a transaction; H2 does not care
        return dsl.transactionResult(configuration -> {
            DSLContext transaction = DSL.using(configuration);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            long judgeRunId = JudgeRuns.startSql(transaction, judge.name(), judge.sqlSha256(), parameters, now);
            ScoreWriter writer = new ScoreWriter(transaction, judgeRunId, ScoreConfig.loadAll(transaction, mapper), now);
            try (Cursor<Record> rows = transaction.resultQuery(judge.sql()).fetchSize(FETCH_SIZE).fetchLazy()) {
                Set<String> columns = Arrays.stream(rows.fields()).map(field -> field.getName().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
                if (!columns.containsAll(COLUMNS)) {
                    throw new IllegalArgumentException("judge %s must return the columns %s; it returns %s".formatted(
                            judge.name(), String.join(", ", COLUMNS), Arrays.stream(rows.fields()).map(Field::getName).collect(Collectors.joining(", "))));
                }
                boolean hasTargetType = columns.contains("target_type");
                boolean hasTargetKey = columns.contains("target_key");
                long position = 0;
                for (Record row : rows) {
                    position++;
                    try {
                        writer.score(ScoreRows.of(position,
                                row.get("trace_id", String.class),
                                hasTargetType ? row.get("target_type", String.class) : null,
                                hasTargetKey ? row.get("target_key", String.class) : null,
                                row.get("name", String.class),
                                row.get("value"),
                                row.get("label", String.class),
                                row.get("explanation", String.class)));
                    }
                    catch (IllegalArgumentException e) {
                        writer.issue(position, e.getMessage());
                    }
                }
            }
            writer.flush();
            JudgeRuns.finish(transaction, judgeRunId);
            return new ScoringResult(judgeRunId, judge.name(), writer.written(), writer.issues());
        });
    }
}
