package dev.tracewh.distill;

import dev.tracewh.usersql.UserCondition;
import org.jooq.Condition;
import org.jooq.impl.DSL;

import java.util.Optional;
import java.util.OptionalLong;

import static dev.tracewh.warehouse.schema.Tables.V_SFT_CANDIDATES;
import static java.util.Objects.requireNonNull;

/**
 * Which traces an SFT export takes and how. {@code where} is one condition on {@code v_sft_candidates}
 * (default: {@code recommended_for_sft}); with {@code judgeRunId} the rubric columns and recommended_for_sft
 * come from that judge run instead of each trace's latest. Sub-agent traces are left out unless included. A
 * conversation is the trace's active path, or with {@code allBranches} every message, also those a rewind abandoned.
 */
public record SftSelection(Optional<UserCondition> where, OptionalLong judgeRunId, boolean includeSidechains, boolean includeReasoning,
        boolean allBranches)
{
    public static final String DEFAULT_WHERE = "recommended_for_sft";

    public SftSelection
    {
        requireNonNull(where, "where is null");
        requireNonNull(judgeRunId, "judgeRunId is null");
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
