package dev.tracewh.prices;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The price of one kind of token: a base price, and tiers that replace it for every token of a response whose input
 * tokens are above their start (genai-prices' and Anthropic's "cliff": the whole request pays the tier's price).
 *
 * @param base empty when the source gives only tier prices for the kind
 * @param tiers price by tier start, in input tokens
 */
record TieredPrice(Optional<BigDecimal> base, SortedMap<Long, BigDecimal> tiers)
{
    TieredPrice
    {
        requireNonNull(base, "base is null");
        tiers = Collections.unmodifiableSortedMap(new TreeMap<>(tiers));
    }

    static TieredPrice flat(BigDecimal price)
    {
        return new TieredPrice(Optional.of(price), new TreeMap<>());
    }

    /** The price of a response whose input tokens are above {@code over} (empty: the base range). */
    Optional<BigDecimal> above(Optional<Long> over)
    {
        if (over.isEmpty()) {
            return base;
        }
        SortedMap<Long, BigDecimal> reached = tiers.headMap(over.get() + 1);
        return reached.isEmpty() ? base : Optional.of(reached.get(reached.lastKey()));
    }
}
