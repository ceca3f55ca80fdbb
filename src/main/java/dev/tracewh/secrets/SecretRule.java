package dev.tracewh.secrets;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One gitleaks rule, compiled.
 *
 * @param pattern the regex; empty for a rule with only a {@code path}
 * @param secretGroup the capture group holding the secret; 0 means the first non-empty group, else the whole match
 * @param entropy a finding needs a secret with Shannon entropy above this; 0 means no check
 * @param keywords lower-cased; empty means the rule runs on every text
 * @param pathRestricted whether the rule has a {@code path}: it only applies to files whose path matches, and texts
 * here have no path, so it never runs (as in gitleaks for a fragment without a path)
 */
record SecretRule(
        String id,
        String description,
        Optional<RulePattern> pattern,
        int secretGroup,
        double entropy,
        List<String> keywords,
        List<Allowlist> allowlists,
        boolean pathRestricted)
{
    SecretRule
    {
        requireNonNull(id, "id is null");
        requireNonNull(description, "description is null");
        requireNonNull(pattern, "pattern is null");
        keywords = List.copyOf(keywords);
        allowlists = List.copyOf(allowlists);
    }

    /** Whether the rule can find anything in a text without a path. */
    boolean scansText()
    {
        return pattern.isPresent() && !pathRestricted;
    }
}
