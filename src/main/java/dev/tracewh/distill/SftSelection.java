package dev.tracewh.distill;

import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * Which traces an SFT export takes and how. {@code where} is a SQL condition on {@code v_sft_candidates}
 * (default: {@code recommended_for_sft}); with {@code judgeRunId} the rubric columns and recommended_for_sft
 * come from that judge run instead of each trace's latest. Sub-agent traces are left out unless included.
 */
public record SftSelection(Optional<String> where, OptionalLong judgeRunId, boolean includeSidechains, boolean includeReasoning)
{
    public static final String DEFAULT_WHERE = "recommended_for_sft";

    public SftSelection
    {
        requireNonNull(where, "where is null");
        requireNonNull(judgeRunId, "judgeRunId is null");
        where = where.filter(condition -> !condition.isBlank());
    }

    public String filterSql()
    {
        return where.orElse(DEFAULT_WHERE);
    }
}
