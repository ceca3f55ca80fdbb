package dev.tracewh.load;

/** Another load of the same scope holds the warehouse lock. */
public final class LoadLockedException
        extends RuntimeException
{
    public LoadLockedException(String message)
    {
        super(message);
    }
}
