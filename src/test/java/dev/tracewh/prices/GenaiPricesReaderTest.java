package dev.tracewh.prices;

import dev.tracewh.testing.SharedFixtures;
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
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** genai-prices' v2 data.json: the real file, and small documents for each rule of its reading. */
class GenaiPricesReaderTest
{
    @TempDir
    Path folder;

    @Test
    void theReferenceFileGivesARowPerEntryAlternativeDateRangeAndTier()
    {
        Path file = SharedFixtures.root().resolveSibling("reference/pricing/genai-prices-v2-data.json");

        PriceList list = PriceFiles.read(file, Optional.of("47df840a"));

        assertEquals(PriceSource.GENAI_PRICES, list.provenance().source());
        assertEquals(Optional.of("47df840a"), list.provenance().sourceVersion());
        // 36 providers holding 1,466 models, none with an 'and' rule or a regex Java refuses
        assertEquals(36, list.rows().stream().map(PriceRow::provider).distinct().count());
        assertEquals(1_466, list.models());
        assertEquals(2_313, list.rows().size());
        // deepseek-chat and deepseek-reasoner's off-peak prices; audio, image, video, citation, search and request prices
        assertEquals(Map.of(SkipReason.TIME_OF_DAY, 2, SkipReason.OTHER_PRICE, 89), list.skippedByReason());
        // the 13 providers with a model_match first, in the file's order: openai is 10th of them; then the others, in
        // the file's order: avian, then aws
        assertEquals(9, rank(list, "openai"));
        assertEquals(13, rank(list, "avian"));
        assertEquals(14, rank(list, "aws"));
    }

    @Test
    void theShippedDefaultHoldsTheProvidersThatMatchABareModelName()
    {
        PriceList list = PriceFiles.readDefault(Path.of("db/prices"));

        assertEquals(Optional.of("47df840a"), list.provenance().sourceVersion());
        assertEquals(Optional.of(LocalDate.of(2026, 8, 21)), list.provenance().sourceDate());
        assertEquals(Optional.of("MIT"), list.provenance().license());
        assertEquals(List.of("anthropic", "cerebras", "cohere", "deepseek", "fireworks", "google", "minimax", "mistral", "moonshotai", "openai",
                "voyageai", "x-ai", "zhipuai"), list.rows().stream().map(PriceRow::provider).distinct().toList());
        assertEquals(309, list.models());
        assertEquals(680, list.rows().size());
        // embedding models (input only: 22 voyageai, 3 openai, 2 google, 1 cohere) and free models with an empty price set
        // (gemma-3, gemma-3n, moderation, three ':free' models, qwen-3-coder-480b)
        assertEquals(35, list.entriesWithoutTokenPrice());
        assertEquals(Map.of(SkipReason.TIME_OF_DAY, 2, SkipReason.OTHER_PRICE, 79), list.skippedByReason());
    }

    @Test
    void claudeOpus46IsTieredUntilMarch13AndFlatFromThen()
    {
        PriceList list = PriceFiles.readDefault(Path.of("db/prices"));

        // google has an entry of that id too
        List<PriceRow> entry = list.rows().stream().filter(row -> row.provider().equals("anthropic") && row.modelId().equals("claude-opus-4-6")).toList();
        List<PriceRow> rows = entry.stream().filter(row -> row.matchAlternative() == 0).toList();

        // starts with claude-opus-4-6, claude-opus-4.6, claude-4-6-opus or claude-4.6-opus: each alternative has the 3 rows
        assertEquals(List.of("claude-opus-4-6", "claude-opus-4.6", "claude-4-6-opus", "claude-4.6-opus"),
                entry.stream().map(PriceRow::matchValue).distinct().toList());
        assertEquals(12, entry.size());
        assertEquals(3, rows.size());
        PriceRow base = rows.get(0);
        assertEquals(Optional.empty(), base.validFrom());
        assertEquals(Optional.of(LocalDate.of(2026, 3, 13)), base.validUntil());
        assertEquals(OptionalLong.empty(), base.inputTokensOver());
        assertEquals(OptionalLong.of(200_000), base.inputTokensUpto());
        assertEquals(prices("5", "25", "6.25", "10", "0.5", null), base.prices());
        PriceRow longContext = rows.get(1);
        assertEquals(OptionalLong.of(200_000), longContext.inputTokensOver());
        assertEquals(OptionalLong.empty(), longContext.inputTokensUpto());
        assertEquals(prices("10", "37.5", "12.5", "20", "1", null), longContext.prices());
        PriceRow flat = rows.get(2);
        assertEquals(Optional.of(LocalDate.of(2026, 3, 13)), flat.validFrom());
        assertEquals(Optional.empty(), flat.validUntil());
        assertEquals(OptionalLong.empty(), flat.inputTokensOver());
        assertEquals(prices("5", "25", "6.25", "10", "0.5", null), flat.prices());
        assertEquals(List.of(MatchKind.STARTS_WITH), rows.stream().map(PriceRow::matchKind).distinct().toList());
    }

    @Test
    void tiersOfEachKeyAreExpandedToTheUnionOfThresholds()
            throws IOException
    {
        PriceList list = read("""
                [{"id":"p","model_match":{"contains":"m"},"models":[{"id":"m1","match":{"equals":"m1"},"prices":{
                  "input_mtok":{"base":1,"tiers":[{"start":200000,"price":2}]},
                  "output_mtok":{"base":10,"tiers":[{"start":128000,"price":15},{"start":200000,"price":20}]},
                  "cache_read_mtok":0.18000000000000002}}]}]
                """);

        assertEquals(3, list.rows().size());
        assertEquals(List.of(OptionalLong.empty(), OptionalLong.of(128_000), OptionalLong.of(200_000)), list.rows().stream().map(PriceRow::inputTokensOver).toList());
        assertEquals(List.of(OptionalLong.of(128_000), OptionalLong.of(200_000), OptionalLong.empty()), list.rows().stream().map(PriceRow::inputTokensUpto).toList());
        assertEquals(List.of("1", "1", "2"), list.rows().stream().map(row -> row.prices().input().orElseThrow().toPlainString()).toList());
        assertEquals(List.of("10", "15", "20"), list.rows().stream().map(row -> row.prices().output().orElseThrow().toPlainString()).toList());
        // a flat price is in every tier; the float's noise is rounded away at 10 decimals
        assertEquals(List.of("0.18", "0.18", "0.18"), list.rows().stream().map(row -> row.prices().cacheRead().orElseThrow().toPlainString()).toList());
    }

    @Test
    void datedPricesTakeTheLastActiveOneAndTimeOfDayPricesAreSkipped()
            throws IOException
    {
        PriceList list = read("""
                [{"id":"p","model_match":{"contains":"m"},"models":[
                  {"id":"m1","match":{"equals":"m1"},"prices":[
                    {"prices":{"input_mtok":1,"output_mtok":2}},
                    {"constraint":{"start_date":"2026-05-01"},"prices":{"input_mtok":3,"output_mtok":4}},
                    {"constraint":{"start_date":"2026-01-01"},"prices":{"input_mtok":5,"output_mtok":6}}]},
                  {"id":"m2","match":{"equals":"m2"},"prices":[
                    {"prices":{"input_mtok":1,"output_mtok":2}},
                    {"constraint":{"start_time":"00:30:00Z","end_time":"16:30:00Z"},"prices":{"input_mtok":0.5,"output_mtok":1}}]}]}]
                """);

        List<PriceRow> m1 = list.rows().stream().filter(row -> row.modelId().equals("m1")).toList();
        // from 2026-01-01 the third price is active, and stays the last active one after 2026-05-01 too
        assertEquals(List.of(Optional.empty(), Optional.of(LocalDate.of(2026, 1, 1))), m1.stream().map(PriceRow::validFrom).toList());
        assertEquals(List.of(Optional.of(LocalDate.of(2026, 1, 1)), Optional.empty()), m1.stream().map(PriceRow::validUntil).toList());
        assertEquals(List.of("1", "5"), m1.stream().map(row -> row.prices().input().orElseThrow().toPlainString()).toList());
        List<PriceRow> m2 = list.rows().stream().filter(row -> row.modelId().equals("m2")).toList();
        assertEquals(1, m2.size());
        assertEquals(Optional.empty(), m2.get(0).validFrom());
        assertEquals("1", m2.get(0).prices().input().orElseThrow().toPlainString());
        assertEquals(List.of(new PriceSkip(SkipReason.TIME_OF_DAY, "/0/models/1/prices/1/constraint", "{\"start_time\":\"00:30:00Z\",\"end_time\":\"16:30:00Z\"}")),
                list.skipped());
    }

    @Test
    void anOrRuleIsOneRowPerAlternativeAndOneHourCacheWritesHaveTheirColumn()
            throws IOException
    {
        PriceList list = read("""
                [{"id":"anthropic","model_match":{"contains":"claude"},"models":[{"id":"claude-x","match":{"or":[{"starts_with":"claude-x"},
                  {"or":[{"equals":"claude-x-latest"},{"regex":"^claude-\\\\d+-x$"}]}]},
                  "prices":{"input_mtok":3,"output_mtok":15,"cache_write_mtok":3.75,"cache_write_1h_mtok":6,"cache_read_mtok":0.3,"output_reasoning_mtok":20}}]}]
                """);

        assertEquals(List.of(0, 1, 2), list.rows().stream().map(PriceRow::matchAlternative).toList());
        assertEquals(List.of(MatchKind.STARTS_WITH, MatchKind.EQUALS, MatchKind.REGEX), list.rows().stream().map(PriceRow::matchKind).toList());
        assertEquals(List.of("claude-x", "claude-x-latest", "^claude-\\d+-x$"), list.rows().stream().map(PriceRow::matchValue).toList());
        assertEquals(1, list.rows().stream().map(PriceRow::prices).distinct().count());
        assertEquals(prices("3", "15", "3.75", "6", "0.3", "20"), list.rows().get(0).prices());
    }

    @Test
    void andRulesInvalidRegexesAndBrokenEntriesAreSkippedWithTheirPathAndTheRestIsRead()
            throws IOException
    {
        PriceList list = read("""
                [{"id":"p","models":[
                  {"id":"a","match":{"and":[{"contains":"a"},{"ends_with":"z"}]},"prices":{"input_mtok":1}},
                  {"id":"b","match":{"regex":"b(unclosed"},"prices":{"input_mtok":1}},
                  {"id":"c","match":{"equals":"c"},"prices":{"input_mtok":"one"}},
                  {"id":"d","match":{"fuzzy":"d"},"prices":{"input_mtok":1}},
                  {"id":"e","match":{"equals":"e"},"prices":{"input_mtok":1,"output_mtok":2,"requests_kcount":5}}]}]
                """);

        assertEquals(List.of("e"), list.rows().stream().map(PriceRow::modelId).toList());
        assertEquals(1, list.models());
        assertEquals(List.of(SkipReason.AND_RULE, SkipReason.INVALID_REGEX, SkipReason.INVALID_ENTRY, SkipReason.INVALID_ENTRY, SkipReason.OTHER_PRICE),
                list.skipped().stream().map(PriceSkip::reason).toList());
        assertEquals(List.of("/0/models/0/match", "/0/models/1/match", "/0/models/2/prices/input_mtok", "/0/models/3/match", "/0/models/4/prices/requests_kcount"),
                list.skipped().stream().map(PriceSkip::path).toList());
        // a provider without a model_match still ranks, after those with one (none here)
        assertEquals(0, list.rows().get(0).providerRank());
    }

    @Test
    void aFileThatIsNotAPriceDocumentFailsNamingIt()
            throws IOException
    {
        Path notJson = Files.writeString(folder.resolve("broken.json"), "[{\"id\": ");
        Path wrongShape = Files.writeString(folder.resolve("list.json"), "[{\"id\": \"p\"}]");
        Path neither = Files.writeString(folder.resolve("other.json"), "{\"a\": {\"b\": 1}}");

        PriceFileException broken = assertThrows(PriceFileException.class, () -> PriceFiles.read(notJson, Optional.empty()));
        PriceFileException shape = assertThrows(PriceFileException.class, () -> PriceFiles.read(wrongShape, Optional.empty()));
        PriceFileException other = assertThrows(PriceFileException.class, () -> PriceFiles.read(neither, Optional.empty()));

        assertTrue(broken.getMessage().startsWith("the price file " + notJson + " is not JSON"), broken.getMessage());
        assertTrue(broken.getMessage().contains("line 1"), broken.getMessage());
        assertTrue(shape.getMessage().contains(wrongShape + " is a list") && shape.getMessage().contains("/0 is not a provider"), shape.getMessage());
        assertTrue(other.getMessage().contains(neither + " is neither"), other.getMessage());
    }

    private PriceList read(String document)
            throws IOException
    {
        Path file = Files.writeString(folder.resolve("data.json"), document);
        PriceList list = PriceFiles.read(file, Optional.empty());
        assertEquals(PriceSource.GENAI_PRICES, list.provenance().source());
        return list;
    }

    private static int rank(PriceList list, String provider)
    {
        return list.rows().stream().filter(row -> row.provider().equals(provider)).findFirst().orElseThrow().providerRank();
    }

    static TokenPrices prices(String input, String output, String cacheWrite5m, String cacheWrite1h, String cacheRead, String reasoning)
    {
        return new TokenPrices(decimal(input), decimal(output), decimal(cacheWrite5m), decimal(cacheWrite1h), decimal(cacheRead), decimal(reasoning));
    }

    private static Optional<BigDecimal> decimal(String value)
    {
        return Optional.ofNullable(value).map(BigDecimal::new);
    }
}
