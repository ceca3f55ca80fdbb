package dev.tracewh.prices;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.tracewh.prices.GenaiPricesReaderTest.prices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LiteLLM's model_prices_and_context_window.json: per-token costs, tiers in key names, variants skipped and counted. */
class LiteLlmReaderTest
{
    private static final String DOCUMENT = """
            {
              "sample_spec": {"input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "litellm_provider": "one of https://docs.litellm.ai/docs/providers"},
              "claude-sonnet-4-5": {
                "litellm_provider": "anthropic", "mode": "chat", "max_input_tokens": 200000,
                "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
                "cache_creation_input_token_cost": 3.75e-06, "cache_creation_input_token_cost_above_1hr": 6e-06,
                "cache_read_input_token_cost": 3e-07,
                "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
                "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06, "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 1.2e-05,
                "cache_read_input_token_cost_above_200k_tokens": 6e-07,
                "search_context_cost_per_query": {"search_context_size_low": 0.01}
              },
              "gpt-5": {
                "litellm_provider": "openai", "mode": "chat",
                "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-07,
                "input_cost_per_token_priority": 2.5e-06, "input_cost_per_token_flex": 6.25e-07, "input_cost_per_token_batches": 6.25e-07,
                "output_cost_per_reasoning_token": 1.4999999999999999e-05
              },
              "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "input_cost_per_pixel": 4.0054321e-08},
              "broken": {"litellm_provider": "openai", "input_cost_per_token": "cheap"},
              "azure/gpt-5": {"litellm_provider": "azure", "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05}
            }
            """;

    @TempDir
    Path folder;

    @Test
    void perTokenCostsBecomePricesPerMillionWithTheirTiers()
            throws IOException
    {
        PriceList list = read();

        assertEquals(PriceSource.LITELLM, list.provenance().source());
        List<PriceRow> sonnet = list.rows().stream().filter(row -> row.modelId().equals("claude-sonnet-4-5")).toList();
        assertEquals(2, sonnet.size());
        assertEquals(List.of(OptionalLong.empty(), OptionalLong.of(200_000)), sonnet.stream().map(PriceRow::inputTokensOver).toList());
        assertEquals(List.of(OptionalLong.of(200_000), OptionalLong.empty()), sonnet.stream().map(PriceRow::inputTokensUpto).toList());
        assertEquals(prices("3", "15", "3.75", "6", "0.3", null), sonnet.get(0).prices());
        assertEquals(prices("6", "22.5", "7.5", "12", "0.6", null), sonnet.get(1).prices());
        assertEquals(MatchKind.EQUALS, sonnet.get(0).matchKind());
        assertEquals("claude-sonnet-4-5", sonnet.get(0).matchValue());
        assertEquals("anthropic", sonnet.get(0).provider());

        PriceRow gpt5 = list.rows().stream().filter(row -> row.modelId().equals("gpt-5")).findFirst().orElseThrow();
        // 1.4999999999999999e-05 per token is 15 per million once rounded to 10 decimals
        assertEquals(prices("1.25", "10", null, null, "0.125", "15"), gpt5.prices());
    }

    @Test
    void theSampleSpecIsNoModelAndVariantsAndOtherUnitsAreCounted()
            throws IOException
    {
        PriceList list = read();

        // sonnet, gpt-5, dall-e-3 (no token price: its name stays unpriced) and azure/gpt-5; 'broken' is skipped
        assertEquals(List.of("claude-sonnet-4-5", "gpt-5", "dall-e-3", "azure/gpt-5"), list.rows().stream().map(PriceRow::modelId).distinct().toList());
        assertEquals(4, list.models());
        assertEquals(1, list.entriesWithoutTokenPrice());
        assertEquals(List.of(0, 1, 1, 2), list.rows().stream().filter(row -> row.inputTokensOver().isEmpty()).map(PriceRow::providerRank).toList());
        assertEquals(List.of(0, 1, 2, 3), list.rows().stream().filter(row -> row.inputTokensOver().isEmpty()).map(PriceRow::modelRank).toList());
        // search_context_cost_per_query; priority, flex and batches; input_cost_per_pixel
        assertEquals(Map.of(SkipReason.OTHER_PRICE, 5, SkipReason.INVALID_ENTRY, 1), list.skippedByReason());
        PriceSkip broken = list.skipped().stream().filter(skip -> skip.reason() == SkipReason.INVALID_ENTRY).findFirst().orElseThrow();
        assertEquals("/broken/input_cost_per_token", broken.path());
        assertTrue(broken.detail().contains("\"cheap\""), broken.detail());
        assertEquals(Optional.empty(), list.provenance().sourceVersion());
        assertEquals(64, list.provenance().fileSha256().length());
    }

    private PriceList read()
            throws IOException
    {
        return PriceFiles.read(Files.writeString(folder.resolve("model_prices_and_context_window.json"), DOCUMENT), Optional.empty());
    }

    @Test
    void aNameLongerThanTheWarehouseHoldsIsAnInvalidEntry()
            throws IOException
    {
        String name = "m".repeat(201);
        Path file = Files.writeString(folder.resolve("long.json"), """
                {"%s": {"litellm_provider": "p", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
                 "short": {"litellm_provider": "p", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}}
                """.formatted(name));

        PriceList list = PriceFiles.read(file, Optional.empty());

        assertEquals(List.of("short"), list.rows().stream().map(PriceRow::modelId).toList());
        assertEquals(List.of("/" + name), list.skipped().stream().map(PriceSkip::path).toList());
        assertTrue(list.skipped().get(0).detail().startsWith("a provider is at most 64 characters, a model id 200"), list.skipped().get(0).detail());
    }
}
