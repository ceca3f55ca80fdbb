package dev.tracewh.devtools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * The peer the parse-only phase is measured against: {@code ccusage daily --offline}, which decodes the usage lines of
 * every Claude Code session below {@code CLAUDE_CONFIG_DIR/projects}. It runs on the same corpus right after the parse-only
 * phase, so both read warm files on the same machine in the same minute.
 */
final class CcusageBaseline
{
    /** One timed run over {@code bytes} of session files. */
    record Result(double seconds, long bytes)
    {
        double megabytesPerSecond()
        {
            return bytes / 1e6 / seconds;
        }
    }

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
}
