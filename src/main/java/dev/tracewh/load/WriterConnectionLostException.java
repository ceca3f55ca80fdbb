package dev.tracewh.load;

import dev.tracewh.warehouse.DatabaseUrl;

/**
 * A writer's connection died under a batch (its backend was terminated, the network cut, H2 closed its file after
 * an I/O failure): the batch's transaction is gone, and nothing more can be written or recorded through it.
 */
final class WriterConnectionLostException
        extends RuntimeException
{
    WriterConnectionLostException(DatabaseUrl url, RuntimeException cause)
    {
        super("lost the connection to the warehouse " + url.redacted() + " while writing: "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
    }
}
