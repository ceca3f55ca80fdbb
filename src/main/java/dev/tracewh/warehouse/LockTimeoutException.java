package dev.tracewh.warehouse;

/**
 * A lock the load needs stayed held by another session for longer than the load waits: every later batch would wait
 * as long, so the load stops instead of retrying file by file.
 */
public final class LockTimeoutException
        extends WarehouseException
{
    public LockTimeoutException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
