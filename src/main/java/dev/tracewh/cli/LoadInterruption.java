package dev.tracewh.cli;

import dev.tracewh.load.LoadListener;
import dev.tracewh.load.PlannedFile;
import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.Warehouse;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongFunction;

import static java.util.Objects.requireNonNull;

/**
 * Ctrl-C (or SIGTERM) during a load: a shutdown hook records the running load run as interrupted at once, on a
 * connection of its own, and says "interrupted" instead of what the closing database makes the load fail with.
 * Passes every event on to {@code delegate}.
 */
final class LoadInterruption
        implements LoadListener, AutoCloseable
{
    private static final Duration CLOSING_DATABASE_WAIT = Duration.ofSeconds(5);

    private final LoadListener delegate;
    private final DatabaseUrl url;
    private final PrintStream out;
    private final PrintStream err;
    /** The line {@code load --json} ends with, for the run id; null without --json. */
    private final LongFunction<String> jsonLine;
    private Thread hook;

    LoadInterruption(LoadListener delegate, DatabaseUrl url, PrintStream out, PrintStream err, LongFunction<String> jsonLine)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.url = requireNonNull(url, "url is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
        this.jsonLine = jsonLine;
    }

    @Override
    public void runStarted(long runId)
    {
        hook = new Thread(() -> interrupted(runId), "tracewh-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        delegate.runStarted(runId);
    }

    private void interrupted(long runId)
    {
        String recorded;
        try {
            markInterrupted(runId);
            recorded = "load run " + runId + " is recorded as interrupted";
        }
        catch (RuntimeException e) {
            // the next load of the same scope marks it interrupted all the same
            recorded = "load run " + runId + " could not be recorded as interrupted now (" + ErrorMessage.of(e).text() + "); the next load will";
        }
        err.println();
        err.println("tracewh: interrupted; " + recorded + ", and the next load reads what this one did not commit");
        err.flush();
        if (jsonLine != null) {
            out.println(jsonLine.apply(runId));
            out.flush();
        }
    }

    /**
     * H2's own shutdown hook closes an embedded database at the same moment, and refuses new connections while it
     * closes ("open in exclusive mode"): try again for a little while, until it has closed and the file opens anew.
     */
    private void markInterrupted(long runId)
    {
        long deadline = System.nanoTime() + CLOSING_DATABASE_WAIT.toNanos();
        while (true) {
            try (Warehouse warehouse = Warehouse.open(url)) {
                new LoadRunStore(warehouse.dsl()).markInterrupted(runId);
                return;
            }
            catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                }
                catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public void waiting(String why)
    {
        delegate.waiting(why);
    }

    @Override
    public void discovering()
    {
        delegate.discovering();
    }

    @Override
    public void started(int filesToRead, long bytesToRead)
    {
        delegate.started(filesToRead, bytesToRead);
    }

    @Override
    public void fileDone(PlannedFile file)
    {
        delegate.fileDone(file);
    }

    /** The load is over: a later Ctrl-C no longer interrupts it. */
    @Override
    public void close()
    {
        if (hook != null && !TracewhCommand.shuttingDown()) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }
}
