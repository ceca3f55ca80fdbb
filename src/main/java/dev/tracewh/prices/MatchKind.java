package dev.tracewh.prices;

import java.util.Optional;

/**
 * How a price rule matches a model name, as genai-prices names its clauses: the first four ignore case, a regex is
 * searched anywhere in the name and minds case (Python's {@code re.search}).
 */
public enum MatchKind
{
    EQUALS("equals"),
    STARTS_WITH("starts_with"),
    ENDS_WITH("ends_with"),
    CONTAINS("contains"),
    REGEX("regex");

    private final String id;

    MatchKind(String id)
    {
        this.id = id;
    }

    /** The name in {@code model_prices.match_kind} and in genai-prices' clauses. */
    public String id()
    {
        return id;
    }

    static Optional<MatchKind> ofClause(String clause)
    {
        for (MatchKind kind : values()) {
            if (kind.id.equals(clause)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
