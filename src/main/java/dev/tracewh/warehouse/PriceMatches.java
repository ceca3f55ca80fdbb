package dev.tracewh.warehouse;

import dev.tracewh.warehouse.schema.tables.records.ModelPriceMatchesDueRecord;
import org.jooq.DSLContext;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static dev.tracewh.warehouse.schema.Tables.MODEL_PRICE_MATCHES;
import static dev.tracewh.warehouse.schema.Tables.MODEL_PRICE_MATCHES_DUE;
import static java.util.Objects.requireNonNull;

/**
 * Keeps {@code model_price_matches}, the price entry each model name of {@code token_usage} takes, decided once per
 * name by the SQL of {@code model_price_matches_due} (db/migration/common/R__cost_views.sql).
 */
public final class PriceMatches
{
    private final DSLContext dsl;

    public PriceMatches(DSLContext dsl)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
    }

    /** Matches the model names not matched yet and returns, sorted, those that no price matches. */
    public List<String> matchNewModels()
    {
        List<ModelPriceMatchesDueRecord> due = dsl.selectFrom(MODEL_PRICE_MATCHES_DUE).fetch();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (ModelPriceMatchesDueRecord match : due) {
            // a load of another shard may have matched the name meanwhile: its row stands
            dsl.insertInto(MODEL_PRICE_MATCHES)
                    .set(MODEL_PRICE_MATCHES.MODEL, match.getModel())
                    .set(MODEL_PRICE_MATCHES.PRICE_LIST_ID, match.getPriceListId())
                    .set(MODEL_PRICE_MATCHES.PROVIDER, match.getProvider())
                    .set(MODEL_PRICE_MATCHES.MODEL_ID, match.getModelId())
                    .set(MODEL_PRICE_MATCHES.MATCHED_AT, now)
                    .onConflictDoNothing()
                    .execute();
        }
        return due.stream().filter(match -> match.getPriceListId() == null).map(ModelPriceMatchesDueRecord::getModel).sorted().toList();
    }

    /** After a price list changed, every name is matched again; returns, sorted, the names no price matches. */
    public List<String> matchAllModels()
    {
        return dsl.transactionResult(configuration -> {
            PriceMatches inTransaction = new PriceMatches(configuration.dsl());
            configuration.dsl().deleteFrom(MODEL_PRICE_MATCHES).execute();
            return inTransaction.matchNewModels();
        });
    }
}
