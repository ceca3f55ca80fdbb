package dev.tracewh.cli;

/** Process exit codes, documented in the README. */
public final class ExitCodes
{
    public static final int SUCCESS = 0;
    /** The load finished but some lines or files could not be loaded (see {@code tracewh errors}). */
    public static final int PARTIAL = 1;
    /** Nothing could be done: the database is unreachable, a query failed, an I/O error. */
    public static final int FAILED = 2;
    /** A bad option, argument or path. */
    public static final int USAGE = 3;
    /** Another load holds the warehouse lock. */
    public static final int LOCKED = 4;
    /** Ctrl-C: the JVM exits with 128 + SIGINT; {@code load --json} says so in its line. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
