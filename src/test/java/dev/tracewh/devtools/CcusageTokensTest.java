package dev.tracewh.devtools;

import dev.tracewh.format.TraceFormat;
import dev.tracewh.format.amp.AmpFormat;
import dev.tracewh.format.amp.AmpThreads;
import dev.tracewh.format.copilot.CopilotFormat;
import dev.tracewh.format.geminicli.GeminiFormat;
import dev.tracewh.format.opencode.OpenCodeFormat;
import dev.tracewh.format.opencode.OpenCodeStore;
import dev.tracewh.format.qwencode.QwenCodeFormat;
import dev.tracewh.load.LoadListener;
import dev.tracewh.load.LoadOptions;
import dev.tracewh.load.Loader;
import dev.tracewh.load.SourceRoot;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.Warehouse;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * tracewh's tokens per UTC day against ccusage's ({@code <agent> daily --offline --json --timezone UTC}) for the agents
 * besides Claude Code, over the shared fixtures laid out in a home folder as each agent keeps them (Amp has none: its
 * hand-written test threads; OpenCode's database is built from its dump). Where the two read a response differently by design, the comparison applies the
 * documented difference rather than hiding it: ccusage skips usage without a model; Qwen Code's input includes its
 * cached part in ccusage; Amp's {@code gpt-*} uncached prompt is cache creation in ccusage and input in tracewh.
 * Runs when ccusage is installed (see {@link CcusageCostTest}).
 */
class CcusageTokensTest
{
    private static final String OPENCODE_DUMP = "opencode/lazyagents/internal/agent/testdata/fixtures/opencode/1.18.33/home/.local/share/opencode/opencode.sql";
    private static final String OPENCODE_TREE = "opencode/agent-sessions/Resources/Fixtures/stage0/agents/opencode/storage_v2";
    private static final String COPILOT_FIXTURES = "copilot_cli/agent-sessions/Resources/Fixtures/stage0/agents/copilot";

    @TempDir
    Path home;

    @Test
    void geminiCliTokensPerDayAreCcusages()
            throws Exception
    {
        Path tmp = home.resolve(".gemini/tmp");
        copyFlat(SharedFixtures.path("gemini_cli"), tmp.resolve("fixtures/chats"));

        assertSameDays("gemini", new GeminiFormat(), tmp, 3, UnaryOperator.identity(), UnaryOperator.identity());
    }

    @Test
    void qwenCodeTokensPerDayAreCcusagesWhoseInputIncludesTheCachedPart()
            throws Exception
    {
        Path projects = home.resolve(".qwen/projects");
        copyFlat(SharedFixtures.path("qwen_code"), projects.resolve("fixtures/chats"));

        assertSameDays("qwen", new QwenCodeFormat(), projects, 2,
                ours -> new Tokens(ours.input() + ours.cacheRead(), ours.cacheWrite(), ours.cacheRead(), ours.output()), UnaryOperator.identity());
    }

    @Test
    void ampTokensPerDayAreCcusagesWithAGptPromptCountedOnce()
            throws Exception
    {
        Path threads = home.resolve(".local/share/amp/threads");
        AmpThreads.writeAll(threads);

        // ccusage keeps a gpt-* uncached prompt as cache creation: on both sides, uncached input and cache creation are summed
        assertSameDays("amp", new AmpFormat(), threads, 2, Tokens::withCreationAsInput, Tokens::withCreationAsInput);
    }

    @Test
    void openCodeTokensPerDayAreCcusages()
            throws Exception
    {
        Path data = home.resolve(".local/share/opencode");
        OpenCodeStore.fromDump(SharedFixtures.path(OPENCODE_DUMP), Files.createDirectories(data).resolve("opencode.db"));
        copyTree(SharedFixtures.path(OPENCODE_TREE), data.resolve("storage"));

        assertSameDays("opencode", new OpenCodeFormat(), data, 2, UnaryOperator.identity(), UnaryOperator.identity());
    }

    @Test
    void copilotCliTokensPerDayAreCcusages()
            throws Exception
    {
        Path state = home.resolve(".copilot/session-state");
        Path fixtures = SharedFixtures.path(COPILOT_FIXTURES);
        // ccusage reads the current layout only, a folder per session
        for (String name : List.of("small", "large", "schema_drift")) {
            Files.copy(fixtures.resolve(name + ".jsonl"), Files.createDirectories(state.resolve(name)).resolve("events.jsonl"));
        }
        copyTree(fixtures.resolve("subdir_v1"), state);

        assertSameDays("copilot", new CopilotFormat(), state, 1, UnaryOperator.identity(), UnaryOperator.identity());
    }

    private record Tokens(long input, long cacheWrite, long cacheRead, long output)
    {
        Tokens withCreationAsInput()
        {
            return new Tokens(input + cacheWrite, 0, cacheRead, output);
        }
    }

    /** Each side's tokens per day, seen through {@code tracewhAs} and {@code ccusageAs}, are equal, on {@code expectedDays} days. */
    private void assertSameDays(String agent, TraceFormat format, Path root, int expectedDays, UnaryOperator<Tokens> tracewhAs,
            UnaryOperator<Tokens> ccusageAs)
            throws IOException, InterruptedException
    {
        Map<LocalDate, Tokens> theirs = new TreeMap<>();
        for (CostComparison.CcusageDay day : new CcusageBaseline(CcusageCostTest.ccusage()).dailyTokens(agent, home)) {
            theirs.put(day.date(), ccusageAs.apply(new Tokens(day.inputTokens(), day.cacheWriteTokens(), day.cacheReadTokens(), day.outputTokens())));
        }
        Map<LocalDate, Tokens> ours = new TreeMap<>();
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2); Warehouse warehouse = database.open()) {
            new Loader(warehouse, "test").load(List.of(new SourceRoot(format, root)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
            for (Record row : warehouse.dsl().fetch("""
                    select "day", sum(input_tokens), sum(cache_write_5m_tokens + cache_write_1h_tokens), sum(cache_read_input_tokens),
                           sum(output_tokens)
                    from v_cost_daily
                    where source_kind = ? and model is not null
                    group by "day\"""", format.id())) {
                ours.put(row.get(0, LocalDate.class), tracewhAs.apply(new Tokens(row.get(1, Long.class), row.get(2, Long.class), row.get(3, Long.class),
                        row.get(4, Long.class))));
            }
        }
        System.out.printf("%s tokens per UTC day: tracewh %s, ccusage %s%n", agent, ours, theirs);
        assertEquals(expectedDays, theirs.size(), "days ccusage reports: " + theirs);
        assertEquals(theirs, ours);
    }

    private static void copyTree(Path from, Path to)
            throws IOException
    {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path target = to.resolve(from.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.copy(file, target);
        }
    }

    /** Every session file below {@code from}, in one folder, as the agent keeps a project's chats. */
    private static void copyFlat(Path from, Path to)
            throws IOException
    {
        Files.createDirectories(to);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(file -> Files.isRegularFile(file) && file.getFileName().toString().matches(".*\\.jsonl?")).toList();
        }
        for (Path file : files) {
            Files.copy(file, to.resolve(file.getFileName()));
        }
    }
}
