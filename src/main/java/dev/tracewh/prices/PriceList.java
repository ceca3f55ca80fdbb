package dev.tracewh.prices;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A price document as read: where it came from, its rows, and what was skipped.
 *
 * @param models how many price entries gave rows
 */
public record PriceList(PriceProvenance provenance, int models, List<PriceRow> rows, List<PriceSkip> skipped)
{
    public PriceList
    {
        requireNonNull(provenance, "provenance is null");
        rows = List.copyOf(rows);
        skipped = List.copyOf(skipped);
    }

    /**
     * How many entries have no row with both an input and an output price (embedding models, genai-prices' free
     * models, LiteLLM's image models):
     * they still take the model names their rule matches, which stay unpriced rather than cost $0.
     */
    public long entriesWithoutTokenPrice()
    {
        Map<String, Boolean> priced = new HashMap<>();
        rows.forEach(row -> priced.merge(row.provider() + "/" + row.modelId(),
                row.prices().input().isPresent() && row.prices().output().isPresent(), Boolean::logicalOr));
        return priced.values().stream().filter(any -> !any).count();
    }

    /** How many skips of each reason, in the reasons' order; reasons without skips are left out. */
    public Map<SkipReason, Integer> skippedByReason()
    {
        Map<SkipReason, Integer> counts = new EnumMap<>(SkipReason.class);
        skipped.forEach(skip -> counts.merge(skip.reason(), 1, Integer::sum));
        return counts;
    }
}
