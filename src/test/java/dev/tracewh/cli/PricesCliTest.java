package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tracewh prices} and {@code tracewh prices import} as a user runs them. */
class PricesCliTest
{
    @TempDir
    Path temp;

    @Test
    void pricesListsTheShippedListAndTheEntryOfEachModelLoaded()
    {
        String db = temp.resolve("warehouse").toString();
        assertEquals(ExitCodes.SUCCESS, run("load", "--db", db, "--path", "examples/claude_code").exitCode());

        Run prices = run("prices", "--db", db);

        assertEquals(ExitCodes.SUCCESS, prices.exitCode(), prices.all());
        String[] lines = prices.out().split("\n");
        assertEquals("Price lists (where several price a model, the first wins):", lines[0]);
        assertTrue(lines[3].matches(" *1 +genai-prices +47df840a +2026-08-21 +MIT +309 +680 .* default .*"), lines[3]);
        assertTrue(prices.out().contains("Models in token_usage:"), prices.out());
        assertTrue(prices.out().matches("(?s).*\nclaude-opus-4-6 +\\d+ +anthropic/claude-opus-4-6 +1\n.*"), prices.out());
        assertTrue(prices.out().matches("(?s).*\nclaude-haiku-4-5-20251001 +\\d+ +anthropic/claude-haiku-4-5 +1\n.*"), prices.out());
        assertTrue(prices.err().startsWith("1 price lists; 3 model names, 0 without a price"), prices.err());
    }

    @Test
    void importAddsAListThatWinsAndSaysWhatItSkipped()
            throws IOException
    {
        String db = temp.resolve("warehouse").toString();
        assertEquals(ExitCodes.SUCCESS, run("load", "--db", db, "--path", "examples/claude_code").exitCode());
        Path file = Files.writeString(temp.resolve("model_prices_and_context_window.json"), """
                {"claude-opus-4-6": {"litellm_provider": "anthropic", "input_cost_per_token": 5e-06, "output_cost_per_token": 2.5e-05,
                   "input_cost_per_token_priority": 9e-06},
                 "broken": {"litellm_provider": "x", "output_cost_per_token": -1}}
                """);

        Run imported = run("prices", "import", "--db", db, "--source-version", "86135fc6", file.toString());
        Run again = run("prices", "import", "--db", db, file.toString());
        Run prices = run("prices", "--db", db);

        assertEquals(ExitCodes.PARTIAL, imported.exitCode(), imported.all());
        assertTrue(imported.err().contains(file + " /broken/output_cost_per_token: skipped, a price is a number of USD per token, at least 0, not -1"), imported.err());
        assertTrue(imported.err().contains("price list 2 (litellm 86135fc6, precedence 1): 1 entries, 1 rows\n"), imported.err());
        assertTrue(imported.err().contains("skipped 1 prices of other units or token kinds"), imported.err());
        assertTrue(imported.err().contains("skipped 1 entries that are not valid"), imported.err());
        assertEquals(ExitCodes.SUCCESS, again.exitCode(), again.all());
        assertTrue(again.err().startsWith(file + " was imported before as price list 2"), again.err());
        assertTrue(prices.out().matches("(?s).*\nclaude-opus-4-6 +\\d+ +anthropic/claude-opus-4-6 +2\n.*"), prices.out());
        assertTrue(prices.out().matches("(?s).*\n *2 +litellm +86135fc6 .*"), prices.out());
    }

    @Test
    void importOfAFileThatIsNoPriceListFailsNamingIt()
            throws IOException
    {
        Path file = Files.writeString(temp.resolve("notes.json"), "{\"a\": 1}");

        Run imported = run("prices", "import", "--db", temp.resolve("warehouse").toString(), file.toString());

        assertEquals(ExitCodes.FAILED, imported.exitCode(), imported.all());
        assertTrue(imported.err().startsWith("tracewh: the price file " + file + " is neither"), imported.err());
        assertEquals(ExitCodes.USAGE, run("prices", "import", "--db", temp.resolve("warehouse").toString(), temp.resolve("missing.json").toString()).exitCode());
    }

    @Test
    void devPriceDefaultsWritesTheShippedMigration()
            throws IOException
    {
        Path out = temp.resolve("R__model_prices_default.sql");

        Run written = run("dev", "price-defaults", "--out", out.toString());

        assertEquals(ExitCodes.SUCCESS, written.exitCode(), written.all());
        assertTrue(written.err().startsWith("wrote " + out + ": 309 entries, 680 rows\n"), written.err());
        assertEquals(Files.readString(Path.of("db/migration/common/R__model_prices_default.sql")), Files.readString(out));
    }
}
