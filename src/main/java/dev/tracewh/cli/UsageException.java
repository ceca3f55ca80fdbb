package dev.tracewh.cli;

/** The user asked for something that cannot be done as asked (a missing path, an unknown format). Exit code 3. */
final class UsageException
        extends RuntimeException
{
    UsageException(String message)
    {
        super(message);
    }
}
