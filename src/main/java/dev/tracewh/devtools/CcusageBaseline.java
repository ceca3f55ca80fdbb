package dev.tracewh.devtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * The peer the parse-only phase is measured against: {@code ccusage daily --offline}, which decodes the usage lines of
 * every Claude Code session below {@code CLAUDE_CONFIG_DIR/projects}. It runs on the same corpus right after the parse-only
 * phase, so both read warm files on the same machine in the same minute. Its JSON report per UTC day is also what
 * tracewh's costs ({@link CostComparison}) are checked against.
 */
final class CcusageBaseline
{
    /**
     * The JSON daily report of Claude Code usage: UTC days ({@code --timezone UTC}), costs computed from its offline
     * prices even where a line carries its own {@code costUSD} ({@code --mode calculate}).
     */
    static final List<String> COST_REPORT = List.of("claude", "daily", "--offline", "--json", "--timezone", "UTC", "--mode", "calculate");

    /** One timed run over {@code bytes} of session files. */
    record Result(double seconds, long bytes)
    {
        double megabytesPerSecond()
        {
            return bytes / 1e6 / seconds;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path executable;

    CcusageBaseline(Path executable)
    {
        this.executable = requireNonNull(executable, "executable is null");
    }

    /** Runs the report over {@code corpus}, the folder holding {@code projects/}; its output is discarded. */
    Result run(Path corpus, long bytes)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), "daily", "--offline");
        builder.environment().put("CLAUDE_CONFIG_DIR", corpus.toAbsolutePath().toString());
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long startNanos = System.nanoTime();
        Process ccusage = builder.start();
        CompletableFuture<String> errors = ErrorOutput.collect(ccusage);
        int exitCode = ccusage.waitFor();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (exitCode != 0) {
            throw new IOException(executable + " daily --offline failed with exit code " + exitCode + ": " + errors.join().strip());
        }
        return new Result(seconds, bytes);
    }

    /**
     * ccusage's cost and tokens per UTC day of the Claude Code sessions below {@code corpus/projects}. It runs with an
     * empty home folder of its own, so that it reads no other agent's sessions and no user's settings.
     */
    List<CostComparison.CcusageDay> dailyCosts(Path corpus)
            throws IOException, InterruptedException
    {
        Path home = Files.createTempDirectory("tracewh-ccusage-home");
        try {
            return daily(COST_REPORT, home, Map.of("CLAUDE_CONFIG_DIR", corpus.toAbsolutePath().toString()));
        }
        finally {
            Files.deleteIfExists(home);
        }
    }

    /**
     * ccusage's tokens per UTC day of one agent ({@code gemini}, {@code qwen}, {@code amp}...), whose sessions it finds
     * in their default folders below {@code home}, and nowhere else.
     */
    List<CostComparison.CcusageDay> dailyTokens(String agent, Path home)
            throws IOException, InterruptedException
    {
        return daily(List.of(agent, "daily", "--offline", "--json", "--timezone", "UTC"), home, Map.of());
    }

    private List<CostComparison.CcusageDay> daily(List<String> arguments, Path home, Map<String, String> variables)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> !name.equals("PATH"));
        environment.put("HOME", home.toAbsolutePath().toString());
        environment.put("TZ", "UTC");
        environment.putAll(variables);
        Process ccusage = builder.start();
        CompletableFuture<String> errors = ErrorOutput.collect(ccusage);
        byte[] output;
        try (InputStream stdout = ccusage.getInputStream()) {
            output = stdout.readAllBytes();
        }
        int exitCode = ccusage.waitFor();
        if (exitCode != 0) {
            throw new IOException(executable + " " + String.join(" ", arguments) + " failed with exit code " + exitCode + ": " + errors.join().strip());
        }
        return parseDaily(output);
    }

    /** {@code daily[]} of the report: each day's tokens, {@code totalCost}, and whether every model in its breakdown had a price. */
    static List<CostComparison.CcusageDay> parseDaily(byte[] report)
            throws IOException
    {
        JsonNode daily = JSON.readTree(report).path("daily");
        if (!daily.isArray()) {
            throw new IOException("ccusage's report has no daily array: " + new String(report, 0, Math.min(report.length, 200)));
        }
        List<CostComparison.CcusageDay> days = new ArrayList<>();
        for (JsonNode day : daily) {
            List<String> unpriced = new ArrayList<>();
            for (JsonNode model : day.path("modelBreakdowns")) {
                // a model ccusage has no price for counts its tokens at $0
                if (model.path("cost").decimalValue().signum() == 0 && tokens(model) > 0) {
                    unpriced.add(model.path("modelName").asText());
                }
            }
            days.add(new CostComparison.CcusageDay(LocalDate.parse(day.path("date").asText()), day.path("inputTokens").asLong(),
                    day.path("cacheCreationTokens").asLong(), day.path("cacheReadTokens").asLong(), day.path("outputTokens").asLong(),
                    day.path("totalCost").decimalValue(), unpriced));
        }
        return days;
    }

    private static long tokens(JsonNode model)
    {
        return model.path("inputTokens").asLong() + model.path("cacheCreationTokens").asLong() + model.path("cacheReadTokens").asLong()
                + model.path("outputTokens").asLong();
    }
}
