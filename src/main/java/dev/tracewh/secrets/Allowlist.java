package dev.tracewh.secrets;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A gitleaks allowlist: a finding it matches is dropped. Texts here have no file path and no commit, so a
 * {@code paths} or {@code commits} check never matches (an AND allowlist that has one never applies), as in
 * gitleaks for a fragment without them.
 *
 * @param regexes searched (not anchored) in the secret, the whole match or the line, per {@code target}
 * @param stopwords lower-cased; matched when the lower-cased secret contains one
 * @param otherChecks how many path and commit checks the allowlist has (never true here)
 */
record Allowlist(Condition condition, Target target, List<RulePattern> regexes, KeywordAutomaton stopwords, int otherChecks)
{
    enum Condition
    {
        OR, AND
    }

    enum Target
    {
        SECRET, MATCH, LINE
    }

    /** The finding's parts, computed only when an allowlist needs them. */
    interface FindingText
    {
        String secret();

        String match();

        String line();
    }

    Allowlist
    {
        requireNonNull(condition, "condition is null");
        requireNonNull(target, "target is null");
        regexes = List.copyOf(regexes);
    }

    boolean allows(FindingText finding)
    {
        if (condition == Condition.AND && otherChecks > 0) {
            return false;
        }
        boolean checked = false;
        if (!regexes.isEmpty()) {
            boolean matched = regexMatches(finding);
            if (condition == Condition.OR && matched) {
                return true;
            }
            if (condition == Condition.AND && !matched) {
                return false;
            }
            checked = true;
        }
        if (stopwords != null) {
            boolean matched = stopwords.containsAny(finding.secret());
            if (condition == Condition.OR && matched) {
                return true;
            }
            if (condition == Condition.AND && !matched) {
                return false;
            }
            checked = true;
        }
        return condition == Condition.AND && checked;
    }

    private boolean regexMatches(FindingText finding)
    {
        String text = switch (target) {
            case SECRET -> finding.secret();
            case MATCH -> finding.match();
            case LINE -> finding.line();
        };
        // gitleaks: an empty target is never allowed by a regex
        if (text.isEmpty()) {
            return false;
        }
        for (RulePattern regex : regexes) {
            if (regex.find(text)) {
                return true;
            }
        }
        return false;
    }
}
