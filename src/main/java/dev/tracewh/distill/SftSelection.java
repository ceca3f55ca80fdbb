package dev.tracewh.distill;

import dev.tracewh.usersql.UserCondition;
import org.jooq.Condition;
import org.jooq.impl.DSL;

import java.util.List;
import java.util.Optional;

import static dev.tracewh.warehouse.schema.Tables.V_SFT_CANDIDATES;
import static java.util.Objects.requireNonNull;

/**
 * Which traces an SFT export takes and how. {@code where} is one condition on {@code v_sft_candidates}
 * (default: {@code recommended_for_sft}); with {@code judgeRunIds} the rubric columns and recommended_for_sft
 * come from those judge runs instead of each trace's latest scores: each rubric from the latest of them that scored
 * it, so a digest run and a quality run together give both training_value and the five rubrics. Sub-agent traces
 * are left out unless included. A conversation is the trace's active path, or with {@code allBranches} every
 * message, also those a rewind abandoned.
 */
public record SftSelection(Optional<UserCondition> where, List<Long> judgeRunIds, boolean includeSidechains, boolean includeReasoning,
        boolean allBranches)
{
    public static final String DEFAULT_WHERE = "recommended_for_sft";

    public SftSelection
    {
        requireNonNull(where, "where is null");
        judgeRunIds = List.copyOf(judgeRunIds);
    }

    /** The condition as the user wrote it, for the {@code exports} row. */
    public String filterSql()
    {
        return where.map(UserCondition::text).orElse(DEFAULT_WHERE);
    }

    Condition condition()
    {
        return where.map(UserCondition::condition).orElse(DSL.condition(V_SFT_CANDIDATES.RECOMMENDED_FOR_SFT));
    }
}
