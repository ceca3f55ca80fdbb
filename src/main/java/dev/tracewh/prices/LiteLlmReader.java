package dev.tracewh.prices;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Reads LiteLLM's {@code model_prices_and_context_window.json}: an object keyed by model name, prices in USD per
 * token. Each key prices the name equal to it (ignoring case); tiers are written into key names
 * ({@code input_cost_per_token_above_200k_tokens}) and become input-token ranges priced as a whole, as LiteLLM's own
 * calculator does. Priority, flex and batch prices and those of other units are skipped and counted. An entry
 * without a token price (an image model) still names its model, which then stays unpriced.
 */
public final class LiteLlmReader
{
    private static final Map<String, TokenKind> KEYS = Map.of(
            "input_cost_per_token", TokenKind.INPUT,
            "output_cost_per_token", TokenKind.OUTPUT,
            "cache_creation_input_token_cost", TokenKind.CACHE_WRITE_5M,
            "cache_creation_input_token_cost_above_1hr", TokenKind.CACHE_WRITE_1H,
            "cache_read_input_token_cost", TokenKind.CACHE_READ,
            "output_cost_per_reasoning_token", TokenKind.REASONING);
    private static final Pattern TIER_KEY = Pattern.compile("(.+)_above_(\\d+)k_tokens");
    /** The file's first entry documents its keys; it prices nothing. */
    private static final String SAMPLE_SPEC = "sample_spec";
    private static final BigDecimal PER_MILLION = BigDecimal.valueOf(1_000_000);

    /** Reads a parsed document; {@code root} must be the object of entries. */
    PriceList read(JsonNode root, PriceProvenance provenance)
    {
        requireNonNull(root, "root is null");
        PriceEntries entries = new PriceEntries();
        Map<String, Integer> providerRanks = new LinkedHashMap<>();
        int modelRank = 0;
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) root::fields) {
            String key = field.getKey();
            if (key.equals(SAMPLE_SPEC)) {
                continue;
            }
            String path = "/" + pointerEscaped(key);
            JsonNode entry = field.getValue();
            try {
                if (!entry.isObject()) {
                    throw new InvalidEntryException(path, "an entry is an object of prices, not " + entry.getNodeType());
                }
                if (key.isBlank()) {
                    throw new InvalidEntryException(path, "an entry needs a model name");
                }
                PriceSet prices = priceSet(entry, path, entries);
                String provider = entry.path("litellm_provider").isTextual() ? entry.get("litellm_provider").asText() : "unknown";
                int providerRank = providerRanks.computeIfAbsent(provider, name -> providerRanks.size());
                entries.add(path, provider, providerRank, key, modelRank++, List.of(new MatchRule(MatchKind.EQUALS, key)),
                        List.of(new DatedPriceSet(Optional.empty(), Optional.empty(), prices)));
            }
            catch (InvalidEntryException e) {
                entries.skip(SkipReason.INVALID_ENTRY, e.path(), e.getMessage());
            }
        }
        return entries.toList(provenance);
    }

    private static PriceSet priceSet(JsonNode entry, String path, PriceEntries entries)
            throws InvalidEntryException
    {
        Map<TokenKind, BigDecimal> bases = new EnumMap<>(TokenKind.class);
        Map<TokenKind, TreeMap<Long, BigDecimal>> tiers = new EnumMap<>(TokenKind.class);
        List<String> others = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) entry::fields) {
            String name = field.getKey();
            String fieldPath = path + "/" + pointerEscaped(name);
            TokenKind kind = KEYS.get(name);
            Matcher tier = TIER_KEY.matcher(name);
            if (kind != null) {
                price(field.getValue(), fieldPath).ifPresent(price -> bases.put(kind, price));
            }
            else if (tier.matches() && KEYS.containsKey(tier.group(1))) {
                long start = Long.parseLong(tier.group(2)) * 1_000;
                price(field.getValue(), fieldPath).ifPresent(price -> tiers.computeIfAbsent(KEYS.get(tier.group(1)), k -> new TreeMap<>()).put(start, price));
            }
            else if (name.contains("cost")) {
                others.add(fieldPath);
            }
        }
        Map<TokenKind, TieredPrice> prices = new EnumMap<>(TokenKind.class);
        for (TokenKind kind : TokenKind.values()) {
            if (bases.containsKey(kind) || tiers.containsKey(kind)) {
                prices.put(kind, new TieredPrice(Optional.ofNullable(bases.get(kind)), tiers.getOrDefault(kind, new TreeMap<>())));
            }
        }
        others.forEach(other -> entries.skip(SkipReason.OTHER_PRICE, other, other.substring(other.lastIndexOf('/') + 1)));
        return new PriceSet(prices);
    }

    /** A per-token price as USD per million tokens; empty for null, which LiteLLM writes for "no price". */
    private static Optional<BigDecimal> price(JsonNode value, String path)
            throws InvalidEntryException
    {
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isNumber() || value.decimalValue().signum() < 0) {
            throw new InvalidEntryException(path, "a price is a number of USD per token, at least 0, not " + value);
        }
        return Optional.of(value.decimalValue().multiply(PER_MILLION));
    }

    private static String pointerEscaped(String key)
    {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
