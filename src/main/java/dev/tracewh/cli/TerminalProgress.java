package dev.tracewh.cli;

import dev.tracewh.load.LoadListener;
import dev.tracewh.load.PlannedFile;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a load is doing, on stderr: a status line during start-up and discovery, then a progress bar counted in MB
 * (10^6 bytes, as the summary counts), drawn only when stderr is a terminal and not {@code --quiet}. A redirected
 * stderr gets no {@code \r} frames.
 */
final class TerminalProgress
        implements LoadListener, AutoCloseable
{
    /** {@code always} or {@code never} overrides the terminal test (for tests and for terminals it misjudges). */
    static final String OVERRIDE_VARIABLE = "TRACEWH_PROGRESS";
    private static final String CLEAR_LINE = "\r\033[K";

    private final PrintStream err;
    private final boolean drawing;
    private final boolean quiet;
    private boolean statusShown;
    private ProgressBar bar;
    private long bytesDone;

    TerminalProgress(PrintStream err, boolean drawing, boolean quiet)
    {
        this.err = requireNonNull(err, "err is null");
        this.drawing = drawing && !quiet;
        this.quiet = quiet;
    }

    static TerminalProgress forStderr(boolean quiet)
    {
        return new TerminalProgress(System.err, stderrIsTerminal(System.getenv()), quiet);
    }

    /**
     * Whether stderr, where the bar goes, is a terminal. {@link System#console()} answers for stdin and stdout
     * instead, so on Linux the file descriptor 2 is asked; elsewhere the console is the best guess.
     */
    static boolean stderrIsTerminal(Map<String, String> environment)
    {
        String override = environment.getOrDefault(OVERRIDE_VARIABLE, "");
        if (override.equals("always") || override.equals("never")) {
            return override.equals("always");
        }
        Path stderr = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(stderr)) {
            try {
                String target = Files.readSymbolicLink(stderr).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            }
            catch (IOException e) {
                return false;
            }
        }
        return isTerminal(System.console());
    }

    /** From JDK 22 a console exists even when output is redirected; Console.isTerminal() tells (absent on 21). */
    private static boolean isTerminal(Console console)
    {
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        }
        catch (ReflectiveOperationException onJava21) {
            return true;
        }
    }

    /** Shows what the load does now on the terminal's status line, replacing the last one. */
    void status(String what)
    {
        if (drawing && bar == null) {
            err.print(CLEAR_LINE + "tracewh: " + what + " ...");
            err.flush();
            statusShown = true;
        }
    }

    /** Said on a terminal or not, unless --quiet: a load waiting in a cron job's log must not look like a hang. */
    @Override
    public void waiting(String why)
    {
        if (!quiet) {
            clearStatus();
            err.println("tracewh: " + why + " ...");
            err.flush();
        }
    }

    @Override
    public void discovering()
    {
        status("finding session files");
    }

    @Override
    public void started(int filesToRead, long bytesToRead)
    {
        clearStatus();
        if (drawing && filesToRead > 0) {
            bar = new ProgressBarBuilder()
                    .setTaskName("load")
                    .setInitialMax(Math.max(1, bytesToRead / 1000))
                    .setUnit(" MB", 1000)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(err))
                    .showSpeed()
                    .build();
        }
    }

    @Override
    public void fileDone(PlannedFile file)
    {
        if (bar != null) {
            bytesDone += file.sizeBytes();
            bar.stepTo(bytesDone / 1000);
        }
    }

    private void clearStatus()
    {
        if (statusShown) {
            err.print(CLEAR_LINE);
            err.flush();
            statusShown = false;
        }
    }

    @Override
    public void close()
    {
        clearStatus();
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
