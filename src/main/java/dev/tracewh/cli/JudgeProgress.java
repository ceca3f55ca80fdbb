package dev.tracewh.cli;

import dev.tracewh.distill.LlmJudgeRunner;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;

import static java.util.Objects.requireNonNull;

/**
 * An LLM judge run's progress on stderr in the load's style: traces done of the total, traces per minute and the
 * tokens so far, drawn only when stderr is a terminal.
 */
final class JudgeProgress
        implements LlmJudgeRunner.Listener, AutoCloseable
{
    private final PrintStream err;
    private final boolean drawing;
    private ProgressBar bar;
    private long tokens;
    private long failed;

    JudgeProgress(PrintStream err, boolean drawing)
    {
        this.err = requireNonNull(err, "err is null");
        this.drawing = drawing;
    }

    static JudgeProgress forStderr()
    {
        return new JudgeProgress(System.err, TerminalProgress.stderrIsTerminal(System.getenv()));
    }

    @Override
    public void started(long traces)
    {
        if (drawing && traces > 0) {
            bar = new ProgressBarBuilder()
                    .setTaskName("judge")
                    .setInitialMax(traces)
                    .setUnit(" traces", 1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(err))
                    .showSpeed()
                    .setSpeedUnit(ChronoUnit.MINUTES)
                    .build();
        }
    }

    @Override
    public void traceDone(boolean judged, long promptTokens, long completionTokens)
    {
        tokens += promptTokens + completionTokens;
        failed += judged ? 0 : 1;
        if (bar != null) {
            bar.step();
            bar.setExtraMessage("%,d tokens%s".formatted(tokens, failed > 0 ? ", %,d failed".formatted(failed) : ""));
        }
    }

    @Override
    public void close()
    {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
