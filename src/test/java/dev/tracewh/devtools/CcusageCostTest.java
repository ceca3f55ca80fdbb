package dev.tracewh.devtools;

import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.load.LoadListener;
import dev.tracewh.load.LoadOptions;
import dev.tracewh.load.Loader;
import dev.tracewh.load.SourceRoot;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.Warehouse;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tracewh's cost per UTC day of the real Claude Code sessions in {@code ../shared/fixtures/claude_code} against
 * ccusage's ({@code claude daily --offline --json --timezone UTC --mode calculate}) over a copy of the same files. Runs
 * when ccusage is installed: {@code TRACEWH_CCUSAGE} names its executable, else {@code ccusage} on the {@code PATH}
 * ({@code .ci/run} installs 20.0.24); otherwise it is skipped.
 */
class CcusageCostTest
{
    /** The fixtures' UTC days with usage: every one of their models (Sonnet 4, Opus 4 to 4.7, Haiku 4.5) has a price on both sides. */
    private static final int FIXTURE_DAYS = 15;

    @TempDir
    Path corpus;

    @Test
    void everyDaysCostIsWithinHalfAPercentOfCcusagesAndItsTokensAreEqual()
            throws IOException, InterruptedException
    {
        Path ccusage = ccusage();
        Path fixtures = SharedFixtures.path("claude_code");
        copyJsonl(fixtures, corpus.resolve("projects"));

        List<CostComparison.CcusageDay> theirs = new CcusageBaseline(ccusage).dailyCosts(corpus);
        CostComparison comparison;
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2); Warehouse warehouse = database.open()) {
            new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), corpus)), LoadOptions.INCREMENTAL, "test",
                    LoadListener.NONE);
            comparison = CostComparison.of("H2", CostComparison.tracewhDays(warehouse.dsl()), theirs);
        }
        comparison.table().forEach(System.out::println);
        comparison.summary().forEach(System.out::println);

        assertEquals(FIXTURE_DAYS, comparison.days().size(), "days on either side");
        assertEquals(FIXTURE_DAYS, comparison.compared().size(), "days both sides priced in full");
        assertEquals(List.of(), comparison.disagreeing(), "days outside " + CostComparison.TOLERANCE_PERCENT + " %");
        assertEquals(List.of(), comparison.tokenMismatches(), "days whose token sums differ");
        assertTrue(comparison.ccusageTotal().signum() > 0, "ccusage priced nothing: " + comparison.ccusageTotal());
    }

    /** The fixture's session files in their own tree, as Claude Code keeps them below {@code projects/}. */
    private static void copyJsonl(Path from, Path to)
            throws IOException
    {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(file -> Files.isRegularFile(file) && file.getFileName().toString().endsWith(".jsonl")).toList();
        }
        for (Path file : files) {
            Path target = to.resolve(from.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.copy(file, target);
        }
    }

    static Path ccusage()
    {
        String configured = System.getenv("TRACEWH_CCUSAGE");
        if (configured != null && !configured.isBlank()) {
            Path executable = Path.of(configured);
            // named but missing is a broken set-up, not a machine without ccusage
            assertTrue(Files.isExecutable(executable), "TRACEWH_CCUSAGE=" + configured + " is not an executable file");
            return executable;
        }
        Optional<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(folder -> !folder.isBlank())
                .map(folder -> Path.of(folder, "ccusage"))
                .filter(Files::isExecutable)
                .findFirst();
        Assumptions.assumeTrue(onPath.isPresent(), "ccusage not installed: set TRACEWH_CCUSAGE to its executable or put ccusage on the PATH");
        return onPath.orElseThrow();
    }
}
