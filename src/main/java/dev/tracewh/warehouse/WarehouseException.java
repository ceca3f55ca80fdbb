package dev.tracewh.warehouse;

/** The warehouse cannot be reached, migrated or written; the message is meant for the user. */
public class WarehouseException
        extends RuntimeException
{
    public WarehouseException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
