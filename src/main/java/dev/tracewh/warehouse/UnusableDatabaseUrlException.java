package dev.tracewh.warehouse;

/** The database refuses the URL itself (an H2 setting it does not know, a relative H2 path): the user's to correct, not a failure to reach it. */
public final class UnusableDatabaseUrlException
        extends WarehouseException
{
    public UnusableDatabaseUrlException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
