package dev.tracewh.devtools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CcusageBaselineTest
{
    @TempDir
    Path directory;

    @Test
    void runsTheDailyReportOverTheCorpusAsItsClaudeConfigFolder()
            throws IOException, InterruptedException
    {
        Path calls = directory.resolve("calls.txt");
        Path ccusage = script("""
                printf '%%s %%s %%s\\n' "$1" "$2" "$CLAUDE_CONFIG_DIR" > %s
                echo 'a table nobody reads'
                """.formatted(calls));
        Path corpus = Files.createDirectories(directory.resolve("corpus/projects"));

        CcusageBaseline.Result result = new CcusageBaseline(ccusage).run(corpus.getParent(), 2_000_000);

        assertEquals("daily --offline " + corpus.getParent().toAbsolutePath(), Files.readString(calls).strip());
        assertEquals(2_000_000, result.bytes());
        assertTrue(result.seconds() > 0, "seconds: " + result.seconds());
    }

    @Test
    void aFailedRunNamesItsExitCodeAndErrorOutput()
            throws IOException
    {
        Path ccusage = script("""
                echo 'no projects found' >&2
                exit 3
                """);

        IOException failure = assertThrows(IOException.class, () -> new CcusageBaseline(ccusage).run(directory, 1));

        assertTrue(failure.getMessage().contains("exit code 3") && failure.getMessage().contains("no projects found"), failure.getMessage());
    }

    @Test
    void theCostReportRunsPerUtcDayWithPricesComputedAndAnEmptyHomeAndIsReadFromItsJson()
            throws IOException, InterruptedException
    {
        Path calls = directory.resolve("calls.txt");
        // compact JSON as ccusage writes it; 2026-01-02 has a model it prices at $0 although it has tokens
        Path ccusage = script("""
                printf '%%s|%%s|%%s|%%s\\n' "$*" "$CLAUDE_CONFIG_DIR" "$TZ" "$(ls -A "$HOME" | wc -l)" > %s
                cat <<'EOF'
                {"daily":[{"date":"2026-01-01","inputTokens":10,"outputTokens":1000,"cacheCreationTokens":5000,"cacheReadTokens":100000,\
                "totalTokens":106010,"totalCost":0.06378,"modelsUsed":["claude-sonnet-4-5"],\
                "modelBreakdowns":[{"modelName":"claude-sonnet-4-5","inputTokens":10,"outputTokens":1000,"cacheCreationTokens":5000,\
                "cacheReadTokens":100000,"cost":0.06378}]},\
                {"date":"2026-01-02","inputTokens":20,"outputTokens":20,"cacheCreationTokens":0,"cacheReadTokens":0,"totalTokens":40,\
                "totalCost":0.0001,"modelsUsed":["claude-sonnet-4-5","mystery"],\
                "modelBreakdowns":[{"modelName":"claude-sonnet-4-5","inputTokens":10,"outputTokens":10,"cacheCreationTokens":0,\
                "cacheReadTokens":0,"cost":0.0001},{"modelName":"mystery","inputTokens":10,"outputTokens":10,"cacheCreationTokens":0,\
                "cacheReadTokens":0,"cost":0}]}],"totals":{}}
                EOF
                """.formatted(calls));
        Path corpus = Files.createDirectories(directory.resolve("corpus/projects")).getParent();

        List<CostComparison.CcusageDay> days = new CcusageBaseline(ccusage).dailyCosts(corpus);

        assertEquals("claude daily --offline --json --timezone UTC --mode calculate|" + corpus.toAbsolutePath() + "|UTC|0",
                Files.readString(calls).strip());
        assertEquals(List.of(
                new CostComparison.CcusageDay(LocalDate.parse("2026-01-01"), 10, 5000, 100_000, 1000, new BigDecimal("0.06378"), List.of()),
                new CostComparison.CcusageDay(LocalDate.parse("2026-01-02"), 20, 0, 0, 20, new BigDecimal("0.0001"), List.of("mystery"))), days);
    }

    @Test
    void daysAreComparedWhereBothSidesPricedEverythingAndTheLargestDifferenceIsNamed()
    {
        List<CostComparison.TracewhDay> ours = List.of(
                tracewh("2026-01-01", 0, "1.00"),
                tracewh("2026-01-02", 0, "2.008"),   // +0.4 %: agrees
                tracewh("2026-01-03", 0, "0.99"),    // -1 %: does not
                tracewh("2026-01-04", 1, "5.00"),    // a response without a price: left out
                tracewh("2026-01-05", 0, "1.00"),    // ccusage has no price for a model: left out
                tracewh("2026-01-06", 0, "1.00"));   // tracewh only
        List<CostComparison.CcusageDay> theirs = List.of(
                ccusage("2026-01-01", "1.00", List.of()),
                ccusage("2026-01-02", "2.00", List.of()),
                ccusage("2026-01-03", "1.00", List.of()),
                ccusage("2026-01-04", "9.00", List.of()),
                ccusage("2026-01-05", "1.00", List.of("mystery")),
                ccusage("2026-01-07", "3.00", List.of()));

        CostComparison comparison = CostComparison.of("H2", ours, theirs);

        assertEquals(7, comparison.days().size());
        assertEquals(List.of("2026-01-01", "2026-01-02", "2026-01-03"), comparison.compared().stream().map(day -> day.date().toString()).toList());
        assertEquals(2, comparison.agreeing());
        assertEquals(List.of(LocalDate.parse("2026-01-03")), comparison.disagreeing().stream().map(CostComparison.Day::date).toList());
        CostComparison.Day largest = comparison.largestDifference().orElseThrow();
        assertEquals(LocalDate.parse("2026-01-03"), largest.date());
        assertEquals(-1.0, largest.differencePercent(), 1e-9);
        assertEquals(0, new BigDecimal("3.998").compareTo(comparison.tracewhTotal()), comparison.tracewhTotal().toString());
        assertEquals(0, new BigDecimal("4.00").compareTo(comparison.ccusageTotal()), comparison.ccusageTotal().toString());
        assertEquals(List.of(), comparison.tokenMismatches());
        assertEquals(List.of(
                "cost per UTC day against ccusage (H2 warehouse): 3 days compared, 2 within 0.5 %; "
                        + "4 days left out (on one side only, or a model without a price)",
                "largest difference: 2026-01-03, -1.000000 % (tracewh $0.990000, ccusage $1.000000)",
                "total over the compared days: tracewh $3.998000, ccusage $4.000000",
                "token sums equal on every compared day",
                "  outside 0.5 %: 2026-01-03 -1.000000 % (tracewh $0.990000, ccusage $1.000000)"), comparison.summary());
        assertTrue(comparison.table().get(4).endsWith("1 responses without a price in tracewh"), comparison.table().get(4));
        assertTrue(comparison.table().get(5).endsWith("no price in ccusage: mystery"), comparison.table().get(5));
    }

    @Test
    void aDayWhoseTokensDifferIsReported()
    {
        CostComparison comparison = CostComparison.of("H2", List.of(tracewh("2026-01-01", 0, "1.00")),
                List.of(new CostComparison.CcusageDay(LocalDate.parse("2026-01-01"), 10, 20, 30, 41, new BigDecimal("1.00"), List.of())));

        assertEquals(1, comparison.tokenMismatches().size());
        assertTrue(comparison.summary().contains("token sums differ on 1 days, the first 2026-01-01"), comparison.summary().toString());
    }

    private static CostComparison.TracewhDay tracewh(String date, long unpriced, String cost)
    {
        return new CostComparison.TracewhDay(LocalDate.parse(date), 3, unpriced, 10, 20, 30, 40, new BigDecimal(cost));
    }

    private static CostComparison.CcusageDay ccusage(String date, String cost, List<String> unpricedModels)
    {
        return new CostComparison.CcusageDay(LocalDate.parse(date), 10, 20, 30, 40, new BigDecimal(cost), unpricedModels);
    }

    private Path script(String body)
            throws IOException
    {
        Path script = directory.resolve("ccusage");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
