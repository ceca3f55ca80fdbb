package dev.tracewh.prices;

import static java.util.Objects.requireNonNull;

/** One alternative of a price entry's match rule. */
record MatchRule(MatchKind kind, String value)
{
    MatchRule
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(value, "value is null");
    }
}
