package dev.tracewh.warehouse;

import dev.tracewh.prices.MatchKind;
import dev.tracewh.prices.PriceList;
import dev.tracewh.prices.PriceProvenance;
import dev.tracewh.prices.PriceRow;
import dev.tracewh.prices.PriceSource;
import dev.tracewh.prices.TokenKind;
import dev.tracewh.warehouse.schema.tables.records.ModelPricesRecord;
import dev.tracewh.warehouse.schema.tables.records.PriceListsRecord;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.tracewh.warehouse.schema.Tables.MODEL_PRICES;
import static dev.tracewh.warehouse.schema.Tables.MODEL_PRICE_MATCHES;
import static dev.tracewh.warehouse.schema.Tables.MODEL_PRICE_MATCHES_DUE;
import static dev.tracewh.warehouse.schema.Tables.PRICE_LISTS;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static java.util.Objects.requireNonNull;

/**
 * The price lists of a warehouse: imports them ({@code tracewh prices import}), lists them with their provenance, and
 * says which price entry each model name seen in {@code token_usage} takes.
 */
public final class PriceListStore
{
    private static final int ROWS_PER_BATCH = 500;

    private final DSLContext dsl;

    public PriceListStore(DSLContext dsl)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
    }

    /**
     * A stored list.
     *
     * @param models how many price entries it holds
     * @param rows its {@code model_prices} rows
     */
    public record StoredList(long priceListId, PriceProvenance provenance, OffsetDateTime importedAt, boolean isDefault, int precedence, long models, long rows)
    {
        public StoredList
        {
            requireNonNull(provenance, "provenance is null");
            requireNonNull(importedAt, "importedAt is null");
        }
    }

    /**
     * What an import did.
     *
     * @param alreadyImported a list of the same file (by SHA-256) was there: nothing was written
     * @param unpricedModels the model names of token_usage no price matches afterwards, sorted
     */
    public record Imported(StoredList list, boolean alreadyImported, List<String> unpricedModels)
    {
        public Imported
        {
            requireNonNull(list, "list is null");
            unpricedModels = List.copyOf(unpricedModels);
        }
    }

    /**
     * A model name of token_usage and the price entry it takes.
     *
     * @param priceListId empty when no price matches the name: its responses have no cost
     * @param matched false for a name not matched yet (loaded by an older tracewh): the entry is the one it will take
     */
    public record SeenModel(String model, long responses, Optional<Long> priceListId, Optional<String> provider, Optional<String> modelId, boolean matched)
    {
        public SeenModel
        {
            requireNonNull(model, "model is null");
            requireNonNull(priceListId, "priceListId is null");
            requireNonNull(provider, "provider is null");
            requireNonNull(modelId, "modelId is null");
        }

        public boolean priced()
        {
            return priceListId.isPresent();
        }
    }

    /**
     * Stores a list above every list there (precedence one more than the highest) in one transaction, then matches
     * every model name again. A file imported before (the same SHA-256) is not stored twice.
     */
    public Imported importList(PriceList list)
    {
        requireNonNull(list, "list is null");
        Optional<StoredList> existing = lists().stream().filter(stored -> stored.provenance().fileSha256().equals(list.provenance().fileSha256())).findFirst();
        if (existing.isPresent()) {
            return new Imported(existing.get(), true, List.of());
        }
        checkRegexes(list);
        long priceListId = dsl.transactionResult(configuration -> insert(configuration.dsl(), list));
        List<String> unpriced = new PriceMatches(dsl).matchAllModels();
        StoredList stored = lists().stream().filter(candidate -> candidate.priceListId() == priceListId).findFirst().orElseThrow();
        return new Imported(stored, false, unpriced);
    }

    /**
     * The database evaluates each regex against every model name (model_price_matches_due): one it cannot compile
     * would make matching fail for all names, so the list is refused before anything is written.
     */
    private void checkRegexes(PriceList list)
    {
        Set<String> patterns = new LinkedHashSet<>();
        list.rows().stream().filter(row -> row.matchKind() == MatchKind.REGEX).forEach(row -> patterns.add(row.matchValue()));
        for (String pattern : patterns) {
            try {
                dsl.fetchValue(DSL.field("case when '' ~ {0} then 1 else 0 end", Integer.class, DSL.val(pattern)));
            }
            catch (DataAccessException e) {
                PriceRow row = list.rows().stream().filter(candidate -> candidate.matchValue().equals(pattern)).findFirst().orElseThrow();
                throw new WarehouseException("the database cannot use the regex " + pattern + " of " + row.provider() + "/" + row.modelId()
                        + ": " + e.getMessage() + "; nothing was imported", e);
            }
        }
    }

    private static long insert(DSLContext dsl, PriceList list)
    {
        PriceProvenance provenance = list.provenance();
        Integer highest = dsl.select(DSL.max(PRICE_LISTS.PRECEDENCE)).from(PRICE_LISTS).fetchOne(0, Integer.class);
        long priceListId = dsl.insertInto(PRICE_LISTS)
                .set(PRICE_LISTS.SOURCE, provenance.source().id())
                .set(PRICE_LISTS.SOURCE_URL, provenance.sourceUrl().orElse(null))
                .set(PRICE_LISTS.SOURCE_VERSION, provenance.sourceVersion().orElse(null))
                .set(PRICE_LISTS.SOURCE_DATE, provenance.sourceDate().orElse(null))
                .set(PRICE_LISTS.LICENSE, provenance.license().orElse(null))
                .set(PRICE_LISTS.FILE_SHA256, provenance.fileSha256())
                .set(PRICE_LISTS.IMPORTED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .set(PRICE_LISTS.IS_DEFAULT, false)
                .set(PRICE_LISTS.PRECEDENCE, highest == null ? 1 : highest + 1)
                .returningResult(PRICE_LISTS.PRICE_LIST_ID)
                .fetchOne(0, Long.class);
        List<ModelPricesRecord> batch = new ArrayList<>();
        for (PriceRow row : list.rows()) {
            batch.add(record(dsl, priceListId, row));
            if (batch.size() == ROWS_PER_BATCH) {
                dsl.batchInsert(batch).execute();
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            dsl.batchInsert(batch).execute();
        }
        return priceListId;
    }

    private static ModelPricesRecord record(DSLContext dsl, long priceListId, PriceRow row)
    {
        ModelPricesRecord record = dsl.newRecord(MODEL_PRICES);
        record.setPriceListId(priceListId);
        record.setProvider(row.provider());
        record.setProviderRank(row.providerRank());
        record.setModelId(row.modelId());
        record.setModelRank(row.modelRank());
        record.setMatchAlternative(row.matchAlternative());
        record.setMatchKind(row.matchKind().id());
        record.setMatchValue(row.matchValue());
        record.setValidFrom(row.validFrom().orElse(null));
        record.setValidUntil(row.validUntil().orElse(null));
        record.setInputTokensOver(row.inputTokensOver().isPresent() ? row.inputTokensOver().getAsLong() : null);
        record.setInputTokensUpto(row.inputTokensUpto().isPresent() ? row.inputTokensUpto().getAsLong() : null);
        record.setInputUsdMtok(row.prices().get(TokenKind.INPUT).orElse(null));
        record.setOutputUsdMtok(row.prices().get(TokenKind.OUTPUT).orElse(null));
        record.setCacheWrite_5mUsdMtok(row.prices().get(TokenKind.CACHE_WRITE_5M).orElse(null));
        record.setCacheWrite_1hUsdMtok(row.prices().get(TokenKind.CACHE_WRITE_1H).orElse(null));
        record.setCacheReadUsdMtok(row.prices().get(TokenKind.CACHE_READ).orElse(null));
        record.setReasoningUsdMtok(row.prices().get(TokenKind.REASONING).orElse(null));
        return record;
    }

    /** The stored lists, the one that wins where they overlap first. */
    public List<StoredList> lists()
    {
        Map<Long, Long> rows = new HashMap<>();
        dsl.select(MODEL_PRICES.PRICE_LIST_ID, DSL.count())
                .from(MODEL_PRICES)
                .groupBy(MODEL_PRICES.PRICE_LIST_ID)
                .forEach(row -> rows.put(row.value1(), row.value2().longValue()));
        Table<?> entries = dsl.selectDistinct(MODEL_PRICES.PRICE_LIST_ID, MODEL_PRICES.PROVIDER, MODEL_PRICES.MODEL_ID).from(MODEL_PRICES).asTable("entries");
        Map<Long, Long> models = new HashMap<>();
        dsl.select(entries.field(MODEL_PRICES.PRICE_LIST_ID), DSL.count())
                .from(entries)
                .groupBy(entries.field(MODEL_PRICES.PRICE_LIST_ID))
                .forEach(row -> models.put(row.value1(), row.value2().longValue()));
        List<StoredList> lists = new ArrayList<>();
        for (PriceListsRecord list : dsl.selectFrom(PRICE_LISTS).orderBy(PRICE_LISTS.PRECEDENCE.desc(), PRICE_LISTS.PRICE_LIST_ID.desc()).fetch()) {
            PriceProvenance provenance = new PriceProvenance(PriceSource.of(list.getSource()), Optional.ofNullable(list.getSourceUrl()),
                    Optional.ofNullable(list.getSourceVersion()), Optional.ofNullable(list.getSourceDate()), Optional.ofNullable(list.getLicense()),
                    list.getFileSha256());
            lists.add(new StoredList(list.getPriceListId(), provenance, list.getImportedAt(), list.getIsDefault(), list.getPrecedence(),
                    models.getOrDefault(list.getPriceListId(), 0L), rows.getOrDefault(list.getPriceListId(), 0L)));
        }
        return lists;
    }

    /**
     * Each model name of token_usage with its responses and the entry that prices it, most responses first. Reads
     * only: a name no load has matched yet shows the entry it would take.
     */
    public List<SeenModel> seenModels()
    {
        Map<String, Record> matches = new HashMap<>();
        dsl.select(MODEL_PRICE_MATCHES.MODEL, MODEL_PRICE_MATCHES.PRICE_LIST_ID, MODEL_PRICE_MATCHES.PROVIDER, MODEL_PRICE_MATCHES.MODEL_ID)
                .from(MODEL_PRICE_MATCHES)
                .forEach(match -> matches.put(match.value1(), match));
        Map<String, Record> due = new HashMap<>();
        dsl.select(MODEL_PRICE_MATCHES_DUE.MODEL, MODEL_PRICE_MATCHES_DUE.PRICE_LIST_ID, MODEL_PRICE_MATCHES_DUE.PROVIDER, MODEL_PRICE_MATCHES_DUE.MODEL_ID)
                .from(MODEL_PRICE_MATCHES_DUE)
                .forEach(match -> due.put(match.value1(), match));
        List<SeenModel> seen = new ArrayList<>();
        dsl.select(TOKEN_USAGE.MODEL, DSL.count())
                .from(TOKEN_USAGE)
                .where(TOKEN_USAGE.MODEL.isNotNull())
                .groupBy(TOKEN_USAGE.MODEL)
                .forEach(usage -> {
                    Record match = matches.containsKey(usage.value1()) ? matches.get(usage.value1()) : due.get(usage.value1());
                    seen.add(new SeenModel(usage.value1(), usage.value2(),
                            Optional.ofNullable(match == null ? null : match.get(1, Long.class)),
                            Optional.ofNullable(match == null ? null : match.get(2, String.class)),
                            Optional.ofNullable(match == null ? null : match.get(3, String.class)),
                            matches.containsKey(usage.value1())));
                });
        seen.sort(Comparator.comparingLong(SeenModel::responses).reversed().thenComparing(SeenModel::model));
        return seen;
    }
}
