package dev.tracewh.cli;

/** The {@code --limit} of the commands that list rows. */
final class Limits
{
    private Limits() {}

    /** A negative limit is a usage error (exit code 3). */
    static void check(int limit)
    {
        if (limit < 0) {
            throw new UsageException("--limit must be 0 or more, got " + limit);
        }
    }
}
