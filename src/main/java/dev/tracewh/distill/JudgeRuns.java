package dev.tracewh.distill;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.tracewh.warehouse.schema.Tables.JUDGE_RUNS;
import static dev.tracewh.warehouse.schema.Tables.SCORES;

/**
 * The {@code judge_runs} rows. A SQL judge run is always a new row; an import run is found by its name (kind
 * import), so importing again under the same name writes into the same run and its scores are updated.
 */
public final class JudgeRuns
{
    private static final String KIND_SQL = "sql";
    private static final String KIND_IMPORT = "import";
    static final String KIND_LLM = "llm";

    private JudgeRuns() {}

    static long startSql(DSLContext dsl, String name, String sqlSha256, String parameters, OffsetDateTime now)
    {
        return insert(dsl, name, KIND_SQL, null, null, sqlSha256, parameters, now);
    }

    /** A new LLM judge run: the judge's prompt hash, the model asked and the endpoint (never its key). */
    static long startLlm(DSLContext dsl, String name, String promptSha256, String model, String baseUrl, String parameters, OffsetDateTime now)
    {
        return dsl.insertInto(JUDGE_RUNS)
                .set(JUDGE_RUNS.NAME, name)
                .set(JUDGE_RUNS.KIND, KIND_LLM)
                .set(JUDGE_RUNS.MODEL, model)
                .set(JUDGE_RUNS.PROMPT_SHA256, promptSha256)
                .set(JUDGE_RUNS.BASE_URL, baseUrl)
                .set(JUDGE_RUNS.PARAMETERS, parameters)
                .set(JUDGE_RUNS.CREATED_AT, now)
                .set(JUDGE_RUNS.UPDATED_AT, now)
                .set(JUDGE_RUNS.ROW_COUNT, 0)
                .set(JUDGE_RUNS.PROMPT_TOKENS, 0L)
                .set(JUDGE_RUNS.COMPLETION_TOKENS, 0L)
                .set(JUDGE_RUNS.TRACES_JUDGED, 0)
                .set(JUDGE_RUNS.TRACES_FAILED, 0)
                .returningResult(JUDGE_RUNS.JUDGE_RUN_ID)
                .fetchSingle()
                .value1();
    }

    /** Adds one trace's outcome to an LLM run's counters, in the transaction that stores that trace. */
    static void countLlmTrace(DSLContext dsl, long judgeRunId, boolean judged, long promptTokens, long completionTokens, String reportedModel,
            OffsetDateTime now)
    {
        dsl.update(JUDGE_RUNS)
                .set(JUDGE_RUNS.TRACES_JUDGED, JUDGE_RUNS.TRACES_JUDGED.plus(judged ? 1 : 0))
                .set(JUDGE_RUNS.TRACES_FAILED, JUDGE_RUNS.TRACES_FAILED.plus(judged ? 0 : 1))
                .set(JUDGE_RUNS.PROMPT_TOKENS, JUDGE_RUNS.PROMPT_TOKENS.plus(promptTokens))
                .set(JUDGE_RUNS.COMPLETION_TOKENS, JUDGE_RUNS.COMPLETION_TOKENS.plus(completionTokens))
                .set(JUDGE_RUNS.REPORTED_MODEL, reportedModel == null ? JUDGE_RUNS.REPORTED_MODEL : DSL.val(reportedModel))
                .set(JUDGE_RUNS.ROW_COUNT, DSL.selectCount().from(SCORES).where(SCORES.JUDGE_RUN_ID.eq(judgeRunId)))
                .set(JUDGE_RUNS.UPDATED_AT, now)
                .where(JUDGE_RUNS.JUDGE_RUN_ID.eq(judgeRunId))
                .execute();
    }

    /** The import run named {@code name}, created when new; a given model replaces the stored one. */
    static long startImport(DSLContext dsl, String name, Optional<String> model, String parameters, OffsetDateTime now)
    {
        Long existing = dsl.select(JUDGE_RUNS.JUDGE_RUN_ID)
                .from(JUDGE_RUNS)
                .where(JUDGE_RUNS.IMPORT_NAME.eq(name))
                .fetchOne(JUDGE_RUNS.JUDGE_RUN_ID);
        if (existing != null) {
            dsl.update(JUDGE_RUNS)
                    .set(JUDGE_RUNS.MODEL, model.isPresent() ? DSL.val(model.get()) : JUDGE_RUNS.MODEL)
                    .set(JUDGE_RUNS.PARAMETERS, parameters)
                    .set(JUDGE_RUNS.UPDATED_AT, now)
                    .where(JUDGE_RUNS.JUDGE_RUN_ID.eq(existing))
                    .execute();
            return existing;
        }
        return insert(dsl, name, KIND_IMPORT, name, model.orElse(null), null, parameters, now);
    }

    private static long insert(DSLContext dsl, String name, String kind, String importName, String model, String sqlSha256,
            String parameters, OffsetDateTime now)
    {
        return dsl.insertInto(JUDGE_RUNS)
                .set(JUDGE_RUNS.NAME, name)
                .set(JUDGE_RUNS.KIND, kind)
                .set(JUDGE_RUNS.IMPORT_NAME, importName)
                .set(JUDGE_RUNS.MODEL, model)
                .set(JUDGE_RUNS.SQL_SHA256, sqlSha256)
                .set(JUDGE_RUNS.PARAMETERS, parameters)
                .set(JUDGE_RUNS.CREATED_AT, now)
                .set(JUDGE_RUNS.UPDATED_AT, now)
                .set(JUDGE_RUNS.ROW_COUNT, 0)
                .returningResult(JUDGE_RUNS.JUDGE_RUN_ID)
                .fetchSingle()
                .value1();
    }

    /** Sets the run's row count to the scores it holds now. */
    static void finish(DSLContext dsl, long judgeRunId)
    {
        dsl.update(JUDGE_RUNS)
                .set(JUDGE_RUNS.ROW_COUNT, DSL.selectCount().from(SCORES).where(SCORES.JUDGE_RUN_ID.eq(judgeRunId)))
                .where(JUDGE_RUNS.JUDGE_RUN_ID.eq(judgeRunId))
                .execute();
    }

    /** A judge run by id, or the latest run of that name. */
    public static OptionalLong find(DSLContext dsl, String idOrName)
    {
        Long found = !idOrName.isEmpty() && idOrName.chars().allMatch(Character::isDigit)
                ? dsl.select(JUDGE_RUNS.JUDGE_RUN_ID).from(JUDGE_RUNS).where(JUDGE_RUNS.JUDGE_RUN_ID.eq(Long.parseLong(idOrName))).fetchOne(JUDGE_RUNS.JUDGE_RUN_ID)
                : dsl.select(DSL.max(JUDGE_RUNS.JUDGE_RUN_ID)).from(JUDGE_RUNS).where(JUDGE_RUNS.NAME.eq(idOrName)).fetchOne(0, Long.class);
        return found == null ? OptionalLong.empty() : OptionalLong.of(found);
    }
}
