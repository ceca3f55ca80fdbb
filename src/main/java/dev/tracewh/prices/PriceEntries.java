package dev.tracewh.prices;

import java.util.ArrayList;
import java.util.List;

/** What a reader made of a document: the rows of its entries, how many entries gave rows, and what it skipped. */
final class PriceEntries
{
    private final List<PriceRow> rows = new ArrayList<>();
    private final List<PriceSkip> skipped = new ArrayList<>();
    private int models;

    /** Adds an entry's rows: per date range, per tier, per alternative of its rule. */
    void add(String provider, int providerRank, String modelId, int modelRank, List<MatchRule> rules, List<DatedPriceSet> dated)
    {
        models++;
        for (DatedPriceSet range : dated) {
            for (PriceSet.Tier tier : range.prices().tiers()) {
                for (int alternative = 0; alternative < rules.size(); alternative++) {
                    MatchRule rule = rules.get(alternative);
                    rows.add(new PriceRow(provider, providerRank, modelId, modelRank, alternative, rule.kind(), rule.value(),
                            range.from(), range.until(), tier.over(), tier.upto(), tier.prices()));
                }
            }
        }
    }

    void skip(SkipReason reason, String path, String detail)
    {
        skipped.add(new PriceSkip(reason, path, detail));
    }

    PriceList toList(PriceProvenance provenance)
    {
        return new PriceList(provenance, models, rows, skipped);
    }
}
