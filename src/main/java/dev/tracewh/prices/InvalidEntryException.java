package dev.tracewh.prices;

/** An entry a reader cannot use: it is skipped as {@link SkipReason#INVALID_ENTRY} at {@link #path()}, the rest of the document loads. */
final class InvalidEntryException
        extends Exception
{
    private final String path;

    InvalidEntryException(String path, String message)
    {
        super(message);
        this.path = path;
    }

    String path()
    {
        return path;
    }
}
