package dev.tracewh.distill;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What one import or SQL judge run stored: {@code written} scores into judge run {@code judgeRunId}, and the ones it skipped. */
public record ScoringResult(long judgeRunId, String judgeName, long written, List<ScoreIssue> issues)
{
    public ScoringResult
    {
        requireNonNull(judgeName, "judgeName is null");
        issues = List.copyOf(issues);
    }
}
