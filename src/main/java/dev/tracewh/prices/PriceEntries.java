package dev.tracewh.prices;

import java.util.ArrayList;
import java.util.List;

/** What a reader made of a document: the rows of its entries, how many entries gave rows, and what it skipped. */
final class PriceEntries
{
    private final List<PriceRow> rows = new ArrayList<>();
    private final List<PriceSkip> skipped = new ArrayList<>();
    private int models;

    /** The longest provider, model id and rule value {@code model_prices} holds. */
    static final int PROVIDER_LENGTH = 64;
    static final int MODEL_ID_LENGTH = 200;
    static final int MATCH_VALUE_LENGTH = 400;

    /** Adds an entry's rows: per date range, per tier, per alternative of its rule. */
    void add(String path, String provider, int providerRank, String modelId, int modelRank, List<MatchRule> rules, List<DatedPriceSet> dated)
            throws InvalidEntryException
    {
        if (provider.length() > PROVIDER_LENGTH || modelId.length() > MODEL_ID_LENGTH
                || rules.stream().anyMatch(rule -> rule.value().length() > MATCH_VALUE_LENGTH)) {
            throw new InvalidEntryException(path, "a provider is at most " + PROVIDER_LENGTH + " characters, a model id " + MODEL_ID_LENGTH
                    + " and a rule's value " + MATCH_VALUE_LENGTH + ": " + provider + "/" + modelId);
        }
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
