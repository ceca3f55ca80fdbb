package dev.tracewh.cli;

import dev.tracewh.load.LoadListener;
import dev.tracewh.load.PlannedFile;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;

/** A progress bar on stderr (counted in KiB, shown in MiB), drawn only when a person is watching (a terminal). */
final class TerminalProgress
        implements LoadListener, AutoCloseable
{
    private final boolean enabled;
    private ProgressBar bar;

    private TerminalProgress(boolean enabled)
    {
        this.enabled = enabled;
    }

    static TerminalProgress forStderr()
    {
        return new TerminalProgress(isTerminal(System.console()));
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

    /** Said on a terminal or not: a load waiting in a cron job's log must not look like a hang. */
    @Override
    public void waiting(String why)
    {
        System.err.println("tracewh: " + why + " ...");
        System.err.flush();
    }

    @Override
    public void started(int filesToRead, long bytesToRead)
    {
        if (enabled && filesToRead > 0) {
            bar = new ProgressBarBuilder()
                    .setTaskName("load")
                    .setInitialMax(Math.max(1, bytesToRead / 1024))
                    .setUnit(" MB", 1024)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .showSpeed()
                    .build();
        }
    }

    @Override
    public void fileDone(PlannedFile file)
    {
        if (bar != null) {
            bar.stepBy(file.sizeBytes() / 1024);
        }
    }

    @Override
    public void close()
    {
        if (bar != null) {
            bar.close();
        }
    }
}
