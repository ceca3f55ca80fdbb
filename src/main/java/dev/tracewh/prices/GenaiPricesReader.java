package dev.tracewh.prices;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static java.util.Objects.requireNonNull;

/**
 * Reads pydantic genai-prices' v2 {@code data.json}: a list of providers, each with models whose {@code match} rule
 * names the model names they price. The rules become rows as genai-prices applies them to a bare model name:
 * providers with a {@code model_match} rank before those without, each group in the document's order, and within a
 * provider the first model whose rule matches wins. Prices dated by {@code start_date} become date ranges (the last
 * active price wins, as in genai-prices); tiers become input-token ranges. An entry with an empty price set (a
 * free model) still takes the names it matches, which stay unpriced: tracewh never prices a response at $0 for
 * want of a price.
 */
public final class GenaiPricesReader
{
    private static final Map<String, TokenKind> KEYS = Map.of(
            "input_mtok", TokenKind.INPUT,
            "output_mtok", TokenKind.OUTPUT,
            "cache_write_mtok", TokenKind.CACHE_WRITE_5M,
            "cache_write_5m_mtok", TokenKind.CACHE_WRITE_5M,
            "cache_write_1h_mtok", TokenKind.CACHE_WRITE_1H,
            "cache_read_mtok", TokenKind.CACHE_READ,
            "output_reasoning_mtok", TokenKind.REASONING);

    /** Reads a parsed document; {@code root} must be the list of providers. */
    PriceList read(JsonNode root, PriceProvenance provenance)
    {
        requireNonNull(root, "root is null");
        PriceEntries entries = new PriceEntries();
        List<Integer> ranked = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            if (root.get(i).has("model_match")) {
                ranked.add(i);
            }
        }
        for (int i = 0; i < root.size(); i++) {
            if (!root.get(i).has("model_match")) {
                ranked.add(i);
            }
        }
        for (int rank = 0; rank < ranked.size(); rank++) {
            int index = ranked.get(rank);
            readProvider(root.get(index), "/" + index, rank, entries);
        }
        return entries.toList(provenance);
    }

    private static void readProvider(JsonNode provider, String path, int rank, PriceEntries entries)
    {
        JsonNode id = provider.path("id");
        JsonNode models = provider.path("models");
        if (!id.isTextual() || !models.isArray()) {
            entries.skip(SkipReason.INVALID_ENTRY, path, "a provider needs a text id and a list of models");
            return;
        }
        for (int i = 0; i < models.size(); i++) {
            String modelPath = path + "/models/" + i;
            try {
                readModel(id.asText(), rank, models.get(i), i, modelPath, entries);
            }
            catch (InvalidEntryException e) {
                entries.skip(SkipReason.INVALID_ENTRY, e.path(), e.getMessage());
            }
        }
    }

    private static void readModel(String provider, int providerRank, JsonNode model, int modelRank, String path, PriceEntries entries)
            throws InvalidEntryException
    {
        JsonNode id = model.path("id");
        if (!id.isTextual() || id.asText().isBlank()) {
            throw new InvalidEntryException(path + "/id", "a model needs a text id");
        }
        String modelId = id.asText();
        if (contains(model.path("match"), "and")) {
            entries.skip(SkipReason.AND_RULE, path + "/match", provider + "/" + modelId + ": " + model.path("match"));
            return;
        }
        List<MatchRule> rules = new ArrayList<>();
        alternatives(model.path("match"), path + "/match", rules);
        for (MatchRule rule : rules) {
            if (rule.kind() == MatchKind.REGEX) {
                try {
                    Pattern.compile(rule.value());
                }
                catch (PatternSyntaxException e) {
                    entries.skip(SkipReason.INVALID_REGEX, path + "/match", provider + "/" + modelId + ": " + rule.value() + ": " + e.getDescription());
                    return;
                }
            }
        }
        List<String> others = new ArrayList<>();
        List<DatedPriceSet> dated = dated(model.path("prices"), path + "/prices", others, entries);
        if (dated.isEmpty()) {
            // every price was time-of-day, counted as such
            return;
        }
        entries.add(path, provider, providerRank, modelId, modelRank, rules, dated);
        others.forEach(other -> entries.skip(SkipReason.OTHER_PRICE, other, other.substring(other.lastIndexOf('/') + 1)));
    }

    private static boolean contains(JsonNode clause, String operator)
    {
        if (clause.has(operator)) {
            return true;
        }
        for (JsonNode child : clause) {
            if (child.isContainerNode() && contains(child, operator)) {
                return true;
            }
        }
        return false;
    }

    /** The rule's alternatives, in order: an {@code or} (nested or not) is one alternative per branch. */
    private static void alternatives(JsonNode clause, String path, List<MatchRule> rules)
            throws InvalidEntryException
    {
        if (!clause.isObject() || clause.size() != 1) {
            throw new InvalidEntryException(path, "a match clause is an object of one operator, not " + clause);
        }
        Map.Entry<String, JsonNode> operator = clause.fields().next();
        if (operator.getKey().equals("or")) {
            if (!operator.getValue().isArray() || operator.getValue().isEmpty()) {
                throw new InvalidEntryException(path + "/or", "'or' needs a list of clauses");
            }
            for (int i = 0; i < operator.getValue().size(); i++) {
                alternatives(operator.getValue().get(i), path + "/or/" + i, rules);
            }
            return;
        }
        Optional<MatchKind> kind = MatchKind.ofClause(operator.getKey());
        if (kind.isEmpty() || !operator.getValue().isTextual() || operator.getValue().asText().isEmpty()) {
            throw new InvalidEntryException(path, "unknown match clause " + clause);
        }
        rules.add(new MatchRule(kind.get(), operator.getValue().asText()));
    }

    /**
     * The entry's price sets by date range. A list of conditional prices holds, at a date, the last one whose
     * start date has come (one without a constraint always has), or the first one when none has.
     */
    private static List<DatedPriceSet> dated(JsonNode prices, String path, List<String> others, PriceEntries entries)
            throws InvalidEntryException
    {
        if (prices.isObject()) {
            return List.of(new DatedPriceSet(Optional.empty(), Optional.empty(), priceSet(prices, path, others)));
        }
        if (!prices.isArray() || prices.isEmpty()) {
            throw new InvalidEntryException(path, "prices are an object or a list of conditional prices");
        }
        List<Optional<LocalDate>> starts = new ArrayList<>();
        List<PriceSet> sets = new ArrayList<>();
        for (int i = 0; i < prices.size(); i++) {
            JsonNode conditional = prices.get(i);
            String itemPath = path + "/" + i;
            JsonNode constraint = conditional.path("constraint");
            Optional<LocalDate> start = Optional.empty();
            if (constraint.has("start_time") || constraint.has("end_time")) {
                entries.skip(SkipReason.TIME_OF_DAY, itemPath + "/constraint", constraint.toString());
                continue;
            }
            if (constraint.has("start_date") && constraint.size() == 1) {
                try {
                    start = Optional.of(LocalDate.parse(constraint.get("start_date").asText()));
                }
                catch (DateTimeParseException e) {
                    throw new InvalidEntryException(itemPath + "/constraint/start_date", "not a date: " + constraint.get("start_date"));
                }
            }
            else if (!constraint.isMissingNode() && !constraint.isNull()) {
                entries.skip(SkipReason.UNKNOWN_CONSTRAINT, itemPath + "/constraint", constraint.toString());
                continue;
            }
            if (!conditional.path("prices").isObject()) {
                throw new InvalidEntryException(itemPath + "/prices", "a conditional price needs its prices");
            }
            starts.add(start);
            sets.add(priceSet(conditional.get("prices"), itemPath + "/prices", others));
        }
        if (sets.isEmpty()) {
            return List.of();
        }
        TreeSet<LocalDate> changes = new TreeSet<>();
        starts.forEach(start -> start.ifPresent(changes::add));
        List<Optional<LocalDate>> rangeStarts = new ArrayList<>();
        rangeStarts.add(Optional.empty());
        changes.forEach(change -> rangeStarts.add(Optional.of(change)));
        List<DatedPriceSet> ranges = new ArrayList<>();
        int current = -1;
        Optional<LocalDate> currentFrom = Optional.empty();
        for (Optional<LocalDate> rangeStart : rangeStarts) {
            int active = activeAt(starts, rangeStart);
            if (active != current) {
                if (current >= 0) {
                    ranges.add(new DatedPriceSet(currentFrom, rangeStart, sets.get(current)));
                }
                current = active;
                currentFrom = rangeStart;
            }
        }
        ranges.add(new DatedPriceSet(currentFrom, Optional.empty(), sets.get(current)));
        return ranges;
    }

    /** genai-prices' choice at a date (empty: before every start date): the last active price, else the first. */
    private static int activeAt(List<Optional<LocalDate>> starts, Optional<LocalDate> date)
    {
        for (int i = starts.size() - 1; i >= 0; i--) {
            Optional<LocalDate> start = starts.get(i);
            if (start.isEmpty() || date.isPresent() && !start.get().isAfter(date.get())) {
                return i;
            }
        }
        return 0;
    }

    private static PriceSet priceSet(JsonNode prices, String path, List<String> others)
            throws InvalidEntryException
    {
        Map<TokenKind, TieredPrice> set = new EnumMap<>(TokenKind.class);
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) prices::fields) {
            String fieldPath = path + "/" + field.getKey();
            TokenKind kind = KEYS.get(field.getKey());
            if (kind == null) {
                others.add(fieldPath);
                continue;
            }
            // the 5-minute key is the more specific name of cache_write_mtok: it wins where both are given
            if (field.getKey().equals("cache_write_mtok") && prices.has("cache_write_5m_mtok")) {
                continue;
            }
            set.put(kind, tieredPrice(field.getValue(), fieldPath));
        }
        return new PriceSet(set);
    }

    private static TieredPrice tieredPrice(JsonNode value, String path)
            throws InvalidEntryException
    {
        if (value.isNumber()) {
            return TieredPrice.flat(price(value, path));
        }
        if (!value.isObject() || !value.path("base").isNumber() || !value.path("tiers").isArray()) {
            throw new InvalidEntryException(path, "a price is a number or {base, tiers: [{start, price}]}, not " + value);
        }
        TreeMap<Long, BigDecimal> tiers = new TreeMap<>();
        for (int i = 0; i < value.get("tiers").size(); i++) {
            JsonNode tier = value.get("tiers").get(i);
            String tierPath = path + "/tiers/" + i;
            if (!tier.path("start").canConvertToLong() || !tier.path("start").isIntegralNumber() || tier.path("start").asLong() < 0) {
                throw new InvalidEntryException(tierPath + "/start", "a tier starts at a whole number of tokens, not " + tier.path("start"));
            }
            tiers.put(tier.get("start").asLong(), price(tier.path("price"), tierPath + "/price"));
        }
        return new TieredPrice(Optional.of(price(value.get("base"), path + "/base")), tiers);
    }

    private static BigDecimal price(JsonNode value, String path)
            throws InvalidEntryException
    {
        if (!value.isNumber() || value.decimalValue().signum() < 0) {
            throw new InvalidEntryException(path, "a price is a number of USD, at least 0, not " + value);
        }
        return value.decimalValue();
    }
}
