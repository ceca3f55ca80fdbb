package dev.tracewh.prices;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/** The prices of one entry for one date range, by kind of token, and their expansion into tier rows. */
record PriceSet(Map<TokenKind, TieredPrice> prices)
{
    /** One input-token tier: (over, upto], and the price of every kind in it. */
    record Tier(OptionalLong over, OptionalLong upto, TokenPrices prices) {}

    PriceSet
    {
        prices = Map.copyOf(prices);
    }

    /**
     * The tiers of all kinds together: one row per range between the union of their thresholds, each kind at its
     * highest tier whose start is at most the range's lower bound.
     */
    List<Tier> tiers()
    {
        TreeSet<Long> thresholds = new TreeSet<>();
        prices.values().forEach(price -> thresholds.addAll(price.tiers().keySet()));
        List<Optional<Long>> lowerBounds = new ArrayList<>();
        lowerBounds.add(Optional.empty());
        thresholds.forEach(threshold -> lowerBounds.add(Optional.of(threshold)));
        List<Tier> tiers = new ArrayList<>();
        for (int i = 0; i < lowerBounds.size(); i++) {
            Optional<Long> over = lowerBounds.get(i);
            Optional<Long> upto = i + 1 < lowerBounds.size() ? lowerBounds.get(i + 1) : Optional.empty();
            Map<TokenKind, BigDecimal> values = new EnumMap<>(TokenKind.class);
            prices.forEach((kind, price) -> price.above(over).ifPresent(value -> values.put(kind, value)));
            tiers.add(new Tier(over.map(OptionalLong::of).orElse(OptionalLong.empty()),
                    upto.map(OptionalLong::of).orElse(OptionalLong.empty()), TokenPrices.of(values)));
        }
        return tiers;
    }
}
