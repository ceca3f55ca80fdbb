package dev.tracewh.prices;

import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * One row of {@code model_prices}: a price entry's prices for one alternative of its match rule, one date range and
 * one input-token tier.
 *
 * @param providerRank the source's order of providers: the first provider whose rule matches a name prices it
 * @param modelRank the order of the provider's entries: the first entry whose rule matches a name prices it
 * @param matchAlternative the n-th branch of an {@code or} rule, from 0; each branch carries the same prices
 * @param validFrom the first UTC date the price holds; empty: since always
 * @param validUntil the UTC date it no longer holds (exclusive); empty: still holds
 * @param inputTokensOver the tier holds for a response whose input tokens (uncached, cache writes and reads) are
 *         above this; empty: from 0
 * @param inputTokensUpto ... and at most this; empty: no bound
 */
public record PriceRow(
        String provider,
        int providerRank,
        String modelId,
        int modelRank,
        int matchAlternative,
        MatchKind matchKind,
        String matchValue,
        Optional<LocalDate> validFrom,
        Optional<LocalDate> validUntil,
        OptionalLong inputTokensOver,
        OptionalLong inputTokensUpto,
        TokenPrices prices)
{
    public PriceRow
    {
        requireNonNull(provider, "provider is null");
        requireNonNull(modelId, "modelId is null");
        requireNonNull(matchKind, "matchKind is null");
        requireNonNull(matchValue, "matchValue is null");
        requireNonNull(validFrom, "validFrom is null");
        requireNonNull(validUntil, "validUntil is null");
        requireNonNull(inputTokensOver, "inputTokensOver is null");
        requireNonNull(inputTokensUpto, "inputTokensUpto is null");
        requireNonNull(prices, "prices is null");
        if (validFrom.isPresent() && validUntil.isPresent() && !validFrom.get().isBefore(validUntil.get())) {
            throw new IllegalArgumentException("empty date range [" + validFrom.get() + ", " + validUntil.get() + ") for " + modelId);
        }
        if (inputTokensOver.isPresent() && inputTokensUpto.isPresent() && inputTokensOver.getAsLong() >= inputTokensUpto.getAsLong()) {
            throw new IllegalArgumentException("empty tier (" + inputTokensOver.getAsLong() + ", " + inputTokensUpto.getAsLong() + "] for " + modelId);
        }
    }
}
