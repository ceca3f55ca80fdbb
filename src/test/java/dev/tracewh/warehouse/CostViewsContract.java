package dev.tracewh.warehouse;

import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.format.pi.PiFormat;
import dev.tracewh.load.LoadListener;
import dev.tracewh.load.LoadOptions;
import dev.tracewh.load.LoadReport;
import dev.tracewh.load.Loader;
import dev.tracewh.load.SourceRoot;
import dev.tracewh.testing.WarehouseContract;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static dev.tracewh.warehouse.schema.Tables.MODEL_PRICES;
import static dev.tracewh.warehouse.schema.Tables.PRICE_LISTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cost views price each response from a hand-made price list, and every expected cost here is worked out by hand
 * from the prices below (USD per million tokens): tiers, dated prices, alternatives of a rule, a regex, the fallbacks
 * of missing prices, the reasoning price, list precedence, and a model without a price that costs null, never 0.
 */
public abstract class CostViewsContract
        extends WarehouseContract
{
    private static final String SESSION = "0c0c0c0c-1111-2222-3333-444455556666";

    @TempDir
    Path sources;

    private long listId;

    @BeforeEach
    void priceList()
    {
        dsl.deleteFrom(PRICE_LISTS).execute();
        listId = list(0);
        // Claude Sonnet 4.5: the long-context price above 200k input tokens applies to the whole response
        price(listId, "anthropic", "claude-sonnet-4-5", 0, "starts_with", "claude-sonnet-4-5", null, null, null, 200_000L,
                "3", "15", "3.75", "6", "0.3", null);
        price(listId, "anthropic", "claude-sonnet-4-5", 0, "starts_with", "claude-sonnet-4-5", null, null, 200_000L, null,
                "6", "22.5", "7.5", "12", "0.6", null);
        // a price that changed on 2026-03-13 (made-up figures)
        price(listId, "anthropic", "claude-opus-4-6", 1, "equals", "claude-opus-4-6", null, LocalDate.parse("2026-03-13"), null, null,
                "5", "25", null, null, null, null);
        price(listId, "anthropic", "claude-opus-4-6", 1, "equals", "claude-opus-4-6", LocalDate.parse("2026-03-13"), null, null, null,
                "7", "30", null, null, null, null);
        // "equals gpt-5 or equals gpt-5-codex": two rule rows with the same prices, no cache write price
        price(listId, "openai", "gpt-5", 2, "equals", "gpt-5", null, null, null, null, "1.25", "10", null, null, "0.125", null);
        rule(listId, "openai", "gpt-5", 2, 1, "equals", "gpt-5-codex", "1.25", "10", "0.125");
        // a regex rule with a reasoning price of its own
        price(listId, "perplexity", "sonar-deep-research", 3, "regex", "^sonar-d", null, null, null, null, "2", "8", null, null, null, "3");
    }

    @Test
    void eachResponseIsPricedByItsModelDayAndTierAndAnUnknownModelCostsNull()
            throws IOException
    {
        LoadReport report = load();
        assertEquals(List.of("mystery-model"), report.unpricedModels());

        Map<String, Record> responses = dsl.fetch("select * from v_cost_responses").intoMap(row -> row.get("response_id", String.class));
        // 10 x 3 + 5,000 x 3.75 + 100,000 x 0.3 + 1,000 x 15
        assertCost("0.06378", responses.get("msg_base"));
        // above 200k: 10 x 6 + 5,000 x 7.5 + 250,000 x 0.6 + 1,000 x 22.5
        assertCost("0.21006", responses.get("msg_long"));
        // 1-hour cache writes at their own price: 3,000 x 3.75 + 1,000 x 6
        assertCost("0.01725", responses.get("msg_1h"));
        assertEquals(new BigDecimal("0.006"), responses.get("msg_1h").get("cache_write_1h_cost_usd", BigDecimal.class).stripTrailingZeros());
        // before and after the price change: 100 x 5 + 10 x 25, then 100 x 7 + 10 x 30
        assertCost("0.00075", responses.get("msg_old_price"));
        assertCost("0.001", responses.get("msg_new_price"));
        // the rule's second alternative; reasoning at the output price: 1,000 x 1.25 + 4,000 x 0.125 + 300 x 10 + 200 x 10
        assertCost("0.00675", responses.get("resp-codex"));
        assertEquals(new BigDecimal("0.002"), responses.get("resp-codex").get("reasoning_cost_usd", BigDecimal.class).stripTrailingZeros());
        // the regex, and a reasoning price: 100 x 2 + 30 x 8 + 20 x 3
        assertCost("0.0005", responses.get("resp-sonar"));

        Record unknown = responses.get("msg_unknown");
        assertFalse(unknown.get("priced", Boolean.class));
        assertNull(unknown.get("cost_usd"));
        assertNull(unknown.get("input_cost_usd"));
        assertTrue(List.of("msg_base", "msg_long", "resp-codex").stream().allMatch(id -> responses.get(id).get("priced", Boolean.class)));

        Record day = dsl.fetchOne("select * from v_cost_daily where \"day\" = date '2026-01-01' and model = 'claude-sonnet-4-5-20250929'");
        assertEquals(2L, day.get("responses", Long.class));
        assertEquals(0L, day.get("unpriced_responses", Long.class));
        assertEquals(new BigDecimal("0.27384"), day.get("cost_usd", BigDecimal.class).stripTrailingZeros());
        assertEquals("/work/app", day.get("project_path"));
        Record unpricedDay = dsl.fetchOne("select * from v_cost_daily where model = 'mystery-model'");
        assertEquals(1L, unpricedDay.get("unpriced_responses", Long.class));
        assertNull(unpricedDay.get("cost_usd"));

        Record session = dsl.fetchOne("select * from v_cost_sessions where root_session_id = ?", SESSION);
        // every Claude Code response but the unpriced one: 0.06378 + 0.21006 + 0.01725 + 0.00075 + 0.001
        assertEquals(new BigDecimal("0.29284"), session.get("cost_usd", BigDecimal.class).stripTrailingZeros());
        assertEquals(6L, session.get("responses", Long.class));
        assertEquals(1L, session.get("unpriced_responses", Long.class));
    }

    @Test
    void aListOfHigherPrecedencePricesTheModelsItMatchesOnceNamesAreMatchedAgain()
            throws IOException
    {
        load();
        long imported = list(1);
        // no cache read price: cache reads fall back to the input price
        price(imported, "openai", "gpt-5-codex", 0, "equals", "gpt-5-codex", null, null, null, null, "2", "20", null, null, null, null);
        assertEquals(List.of("mystery-model"), new PriceMatches(dsl).matchAllModels());

        Record codex = dsl.fetchOne("select * from v_cost_responses where response_id = 'resp-codex'");
        assertEquals(imported, codex.get("price_list_id", Long.class));
        // 1,000 x 2 + 4,000 x 2 + 300 x 20 + 200 x 20
        assertCost("0.02", codex);
        // the other models keep the default list's price
        assertEquals(listId, dsl.fetchOne("select price_list_id from v_cost_responses where response_id = 'msg_base'").get(0, Long.class));
    }

    private LoadReport load()
            throws IOException
    {
        Path project = Files.createDirectories(sources.resolve("claude/-work-app"));
        Files.writeString(project.resolve(SESSION + ".jsonl"), String.join("\n",
                claudeResponse("msg_base", "claude-sonnet-4-5-20250929", "2026-01-01T10:00:00Z", 10, 5_000, 100_000, 1_000),
                claudeResponse("msg_long", "claude-sonnet-4-5-20250929", "2026-01-01T11:00:00Z", 10, 5_000, 250_000, 1_000),
                claudeResponse("msg_1h", "claude-sonnet-4-5-20250929", "2026-01-03T10:00:00Z", 0, 4_000, 0, 0)
                        .replace("\"cache_creation_input_tokens\":4000,", "\"cache_creation_input_tokens\":4000,\"cache_creation\":{\"ephemeral_5m_input_tokens\":3000,\"ephemeral_1h_input_tokens\":1000},"),
                claudeResponse("msg_old_price", "claude-opus-4-6", "2026-02-01T10:00:00Z", 100, 0, 0, 10),
                claudeResponse("msg_new_price", "claude-opus-4-6", "2026-04-01T10:00:00Z", 100, 0, 0, 10),
                claudeResponse("msg_unknown", "mystery-model", "2026-04-01T11:00:00Z", 100, 0, 0, 10)) + "\n");
        Path pi = Files.createDirectories(sources.resolve("pi/--work-app--"));
        Files.writeString(pi.resolve("2026-01-01T00-00-00-000Z_pi-cost.jsonl"), """
                {"type":"session","version":3,"id":"pi-cost","timestamp":"2026-01-02T00:00:00Z","cwd":"/work/app"}
                {"type":"message","id":"e1","parentId":null,"timestamp":"2026-01-02T00:00:01Z","message":{"role":"user","content":"go"}}
                {"type":"message","id":"e2","parentId":"e1","timestamp":"2026-01-02T00:00:02Z","message":{"role":"assistant","model":"gpt-5-codex","responseId":"resp-codex","content":[{"type":"text","text":"a"}],"usage":{"input":1000,"output":500,"cacheRead":4000,"cacheWrite":0,"reasoning":200}}}
                {"type":"message","id":"e3","parentId":"e2","timestamp":"2026-01-02T00:00:03Z","message":{"role":"assistant","model":"sonar-deep-research","responseId":"resp-sonar","content":[{"type":"text","text":"b"}],"usage":{"input":100,"output":50,"cacheRead":0,"cacheWrite":0,"reasoning":20}}}
                """);
        return new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), sources.resolve("claude")),
                new SourceRoot(new PiFormat(), sources.resolve("pi"))), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
    }

    private static String claudeResponse(String messageId, String model, String timestamp, long input, long cacheWrite, long cacheRead, long output)
    {
        return """
                {"type":"assistant","uuid":"%1$s","sessionId":"%2$s","requestId":"req_%1$s","timestamp":"%3$s","cwd":"/work/app","message":{"id":"%1$s","model":"%4$s","role":"assistant","content":[{"type":"text","text":"ok"}],"usage":{"input_tokens":%5$d,"cache_creation_input_tokens":%6$d,"cache_read_input_tokens":%7$d,"output_tokens":%8$d}}}"""
                .formatted(messageId, SESSION, timestamp, model, input, cacheWrite, cacheRead, output);
    }

    private static void assertCost(String expected, Record response)
    {
        assertTrue(response.get("priced", Boolean.class), () -> response + " is priced");
        assertEquals(new BigDecimal(expected), response.get("cost_usd", BigDecimal.class).stripTrailingZeros(), () -> response.toString());
    }

    private long list(int precedence)
    {
        return dsl.insertInto(PRICE_LISTS)
                .set(PRICE_LISTS.SOURCE, "genai-prices")
                .set(PRICE_LISTS.SOURCE_VERSION, "test-" + precedence)
                .set(PRICE_LISTS.FILE_SHA256, "0".repeat(63) + precedence)
                .set(PRICE_LISTS.IMPORTED_AT, OffsetDateTime.parse("2026-12-01T00:00:00Z"))
                .set(PRICE_LISTS.IS_DEFAULT, precedence == 0)
                .set(PRICE_LISTS.PRECEDENCE, precedence)
                .returning(PRICE_LISTS.PRICE_LIST_ID)
                .fetchOne()
                .getPriceListId();
    }

    private void price(long list, String provider, String modelId, int modelRank, String kind, String value, LocalDate from, LocalDate until, Long over,
            Long upto, String input, String output, String cacheWrite5m, String cacheWrite1h, String cacheRead, String reasoning)
    {
        dsl.insertInto(MODEL_PRICES)
                .set(MODEL_PRICES.PRICE_LIST_ID, list)
                .set(MODEL_PRICES.PROVIDER, provider)
                .set(MODEL_PRICES.MODEL_ID, modelId)
                .set(MODEL_PRICES.PROVIDER_RANK, 0)
                .set(MODEL_PRICES.MODEL_RANK, modelRank)
                .set(MODEL_PRICES.MATCH_ALTERNATIVE, 0)
                .set(MODEL_PRICES.MATCH_KIND, kind)
                .set(MODEL_PRICES.MATCH_VALUE, value)
                .set(MODEL_PRICES.VALID_FROM, from)
                .set(MODEL_PRICES.VALID_UNTIL, until)
                .set(MODEL_PRICES.INPUT_TOKENS_OVER, over)
                .set(MODEL_PRICES.INPUT_TOKENS_UPTO, upto)
                .set(MODEL_PRICES.INPUT_USD_MTOK, decimal(input))
                .set(MODEL_PRICES.OUTPUT_USD_MTOK, decimal(output))
                .set(MODEL_PRICES.CACHE_WRITE_5M_USD_MTOK, decimal(cacheWrite5m))
                .set(MODEL_PRICES.CACHE_WRITE_1H_USD_MTOK, decimal(cacheWrite1h))
                .set(MODEL_PRICES.CACHE_READ_USD_MTOK, decimal(cacheRead))
                .set(MODEL_PRICES.REASONING_USD_MTOK, decimal(reasoning))
                .execute();
    }

    private void rule(long list, String provider, String modelId, int modelRank, int alternative, String kind, String value, String input, String output,
            String cacheRead)
    {
        price(list, provider, modelId, modelRank, kind, value, null, null, null, null, input, output, null, null, cacheRead, null);
        dsl.update(MODEL_PRICES).set(MODEL_PRICES.MATCH_ALTERNATIVE, alternative).where(MODEL_PRICES.MATCH_VALUE.eq(value)).execute();
    }

    private static BigDecimal decimal(String value)
    {
        return value == null ? null : new BigDecimal(value);
    }
}
