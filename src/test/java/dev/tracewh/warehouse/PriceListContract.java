package dev.tracewh.warehouse;

import dev.tracewh.format.Formats;
import dev.tracewh.format.pi.PiFormat;
import dev.tracewh.load.LoadListener;
import dev.tracewh.load.LoadOptions;
import dev.tracewh.load.Loader;
import dev.tracewh.load.SourceRoot;
import dev.tracewh.prices.PriceFiles;
import dev.tracewh.prices.PriceList;
import dev.tracewh.prices.PriceSource;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.testing.WarehouseContract;
import dev.tracewh.warehouse.PriceListStore.Imported;
import dev.tracewh.warehouse.PriceListStore.SeenModel;
import dev.tracewh.warehouse.PriceListStore.StoredList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static dev.tracewh.warehouse.schema.Tables.MODEL_PRICES;
import static dev.tracewh.warehouse.schema.Tables.MODEL_PRICE_MATCHES;
import static dev.tracewh.warehouse.schema.Tables.PRICE_LISTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped price list after migrate, the model names of every fixture matched to their genai-prices entry, and
 * imports of genai-prices and LiteLLM files over it.
 */
public abstract class PriceListContract
        extends WarehouseContract
{
    /** Each model name of token_usage in the shared fixtures and the genai-prices entry that prices it (design notes 2.2). */
    private static final Map<String, Optional<String>> FIXTURE_MODELS = new TreeMap<>(Map.ofEntries(
            Map.entry("claude-haiku-4-5-20251001", Optional.of("anthropic/claude-haiku-4-5")),
            Map.entry("claude-opus-4-20250514", Optional.of("anthropic/claude-opus-4-0")),
            Map.entry("claude-opus-4-1-20250805", Optional.of("anthropic/claude-opus-4-1")),
            Map.entry("claude-opus-4-5-20251101", Optional.of("anthropic/claude-opus-4-5")),
            Map.entry("claude-opus-4-5", Optional.of("anthropic/claude-opus-4-5")),
            Map.entry("claude-opus-4-6", Optional.of("anthropic/claude-opus-4-6")),
            Map.entry("claude-opus-4-7", Optional.of("anthropic/claude-opus-4-7")),
            Map.entry("claude-sonnet-4-20250514", Optional.of("anthropic/claude-sonnet-4-0")),
            Map.entry("claude-sonnet-4-5-20250929", Optional.of("anthropic/claude-sonnet-4-5")),
            Map.entry("gpt-4.1", Optional.of("openai/gpt-4.1")),
            Map.entry("gpt-5", Optional.of("openai/gpt-5")),
            Map.entry("gpt-5-codex", Optional.of("openai/gpt-5")),
            Map.entry("gpt-5-mini", Optional.of("openai/gpt-5-mini")),
            Map.entry("gpt-5.1-codex", Optional.of("openai/gpt-5.1")),
            Map.entry("gpt-5.2", Optional.of("openai/gpt-5.2")),
            Map.entry("gpt-5.2-codex", Optional.of("openai/gpt-5.2")),
            Map.entry("gpt-5.3-codex", Optional.of("openai/gpt-5.3-codex")),
            Map.entry("gpt-5.5", Optional.of("openai/gpt-5.5")),
            Map.entry("fake-model", Optional.empty())));

    @TempDir
    Path folder;

    @Test
    void migrateInstallsTheShippedListWithItsProvenance()
    {
        PriceList shipped = PriceFiles.readDefault(Path.of("db/prices"));

        List<StoredList> lists = new PriceListStore(dsl).lists();

        assertEquals(1, lists.size());
        StoredList list = lists.get(0);
        assertTrue(list.isDefault());
        assertEquals(0, list.precedence());
        assertEquals(PriceSource.GENAI_PRICES, list.provenance().source());
        assertEquals(Optional.of("47df840a"), list.provenance().sourceVersion());
        assertEquals(Optional.of(LocalDate.of(2026, 8, 21)), list.provenance().sourceDate());
        assertEquals(Optional.of("MIT"), list.provenance().license());
        assertEquals(Optional.of("https://github.com/pydantic/genai-prices/blob/47df840a/prices/new_data/v2/data.json"), list.provenance().sourceUrl());
        assertEquals(shipped.provenance().fileSha256(), list.provenance().fileSha256());
        assertEquals(680, list.rows());
        assertEquals(309, list.models());
        // prices as the file gives them, at the column's scale
        assertEquals(0, new BigDecimal("37.5").compareTo(dsl.select(MODEL_PRICES.OUTPUT_USD_MTOK).from(MODEL_PRICES)
                .where(MODEL_PRICES.PROVIDER.eq("anthropic"), MODEL_PRICES.MODEL_ID.eq("claude-opus-4-6"),
                        MODEL_PRICES.MATCH_ALTERNATIVE.eq(0), MODEL_PRICES.INPUT_TOKENS_OVER.eq(200_000L)).fetchSingle().value1()));
    }

    @Test
    void everyModelOfTheFixturesTakesItsGenaiPricesEntryAfterMigrate()
            throws IOException
    {
        new Loader(warehouse, "test").load(Formats.all().stream().map(format -> new SourceRoot(format, SharedFixtures.root())).toList(),
                LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        // as a warehouse loaded before the price tables had their matches: migrate matches every name
        dsl.deleteFrom(MODEL_PRICE_MATCHES).execute();
        assertFalse(new PriceListStore(dsl).seenModels().stream().anyMatch(SeenModel::matched));

        warehouse.migrate();

        List<SeenModel> seen = new PriceListStore(dsl).seenModels();
        Map<String, Optional<String>> entries = new TreeMap<>();
        seen.forEach(model -> entries.put(model.model(), model.provider().map(provider -> provider + "/" + model.modelId().orElseThrow())));
        assertEquals(FIXTURE_MODELS, entries);
        assertTrue(seen.stream().allMatch(SeenModel::matched));
        assertEquals(FIXTURE_MODELS.size(), dsl.fetchCount(MODEL_PRICE_MATCHES));
        assertEquals(1, dsl.fetchCount(MODEL_PRICE_MATCHES, MODEL_PRICE_MATCHES.PRICE_LIST_ID.isNull()));
    }

    @Test
    void anImportWinsOverTheDefaultAndTheSameFileTwiceChangesNothing()
            throws IOException
    {
        loadPiSession("claude-opus-4-6", "fake-model");
        Path genai = Files.writeString(folder.resolve("data.json"), """
                [{"id":"mine","model_match":{"contains":"claude"},"models":[{"id":"opus-flat","match":{"equals":"claude-opus-4-6"},
                  "prices":{"input_mtok":4,"output_mtok":20}}]}]
                """);
        PriceListStore store = new PriceListStore(dsl);

        Imported first = store.importList(PriceFiles.read(genai, Optional.of("v1")));
        Imported again = store.importList(PriceFiles.read(genai, Optional.of("v1")));

        assertFalse(first.alreadyImported());
        assertEquals(1, first.list().precedence());
        assertEquals(1, first.list().rows());
        assertEquals(Optional.of("v1"), first.list().provenance().sourceVersion());
        assertEquals(List.of("fake-model"), first.unpricedModels());
        assertTrue(again.alreadyImported());
        assertEquals(first.list().priceListId(), again.list().priceListId());
        assertEquals(2, dsl.fetchCount(PRICE_LISTS));
        assertEquals(Map.of("claude-opus-4-6", Optional.of("mine/opus-flat"), "fake-model", Optional.empty()), entries(store));

        Path litellm = Files.writeString(folder.resolve("litellm.json"), """
                {"fake-model": {"litellm_provider": "fake", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}}
                """);
        Imported second = store.importList(PriceFiles.read(litellm, Optional.empty()));

        assertEquals(2, second.list().precedence());
        assertEquals(PriceSource.LITELLM, second.list().provenance().source());
        assertEquals(List.of(), second.unpricedModels());
        assertEquals(Map.of("claude-opus-4-6", Optional.of("mine/opus-flat"), "fake-model", Optional.of("fake/fake-model")), entries(store));
        assertEquals(List.of(2, 1, 0), store.lists().stream().map(StoredList::precedence).toList());
        assertEquals(0, new BigDecimal("2").compareTo(dsl.select(MODEL_PRICES.OUTPUT_USD_MTOK).from(MODEL_PRICES)
                .where(MODEL_PRICES.PRICE_LIST_ID.eq(second.list().priceListId())).fetchSingle().value1()));
    }

    @Test
    void aRegexTheDatabaseCannotCompileIsRefusedBeforeAnythingIsWritten()
            throws IOException
    {
        // Java and H2 (which uses Java's regexes) know named groups; PostgreSQL's regexes do not
        Path genai = Files.writeString(folder.resolve("data.json"), """
                [{"id":"p","model_match":{"contains":"x"},"models":[{"id":"x","match":{"regex":"^(?<name>x)$"},"prices":{"input_mtok":1,"output_mtok":2}}]}]
                """);
        PriceList list = PriceFiles.read(genai, Optional.empty());
        PriceListStore store = new PriceListStore(dsl);

        if (kind() == TestDatabase.Kind.POSTGRESQL) {
            WarehouseException refused = assertThrows(WarehouseException.class, () -> store.importList(list));
            assertTrue(refused.getMessage().contains("^(?<name>x)$ of p/x"), refused.getMessage());
            assertEquals(1, dsl.fetchCount(PRICE_LISTS));
        }
        else {
            store.importList(list);
            assertEquals(2, dsl.fetchCount(PRICE_LISTS));
        }
    }

    private Map<String, Optional<String>> entries(PriceListStore store)
    {
        Map<String, Optional<String>> entries = new TreeMap<>();
        store.seenModels().forEach(model -> entries.put(model.model(), model.provider().map(provider -> provider + "/" + model.modelId().orElseThrow())));
        return entries;
    }

    /** A Pi session with one response of each model. */
    private void loadPiSession(String... models)
            throws IOException
    {
        StringBuilder session = new StringBuilder("{\"type\":\"session\",\"version\":3,\"id\":\"s1\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"cwd\":\"/p\"}\n");
        String parent = "null";
        for (int i = 0; i < models.length; i++) {
            session.append("{\"type\":\"message\",\"id\":\"e").append(i).append("\",\"parentId\":").append(parent)
                    .append(",\"timestamp\":\"2026-01-01T00:00:0").append(i + 1).append("Z\",\"message\":{\"role\":\"assistant\",\"model\":\"").append(models[i])
                    .append("\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"usage\":{\"input\":10,\"output\":5,\"cacheRead\":0,\"cacheWrite\":0}}}\n");
            parent = "\"e" + i + "\"";
        }
        Path sessions = Files.createDirectories(folder.resolve("pi/sessions/--p--"));
        Files.writeString(sessions.resolve("2026-01-01T00-00-00-000Z_s1.jsonl"), session);
        new Loader(warehouse, "test").load(List.of(new SourceRoot(new PiFormat(), folder.resolve("pi"))),
                LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
    }
}
