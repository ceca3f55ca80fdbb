package dev.tracewh.load;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * How to load: {@code fullRefresh} re-reads unchanged files; {@code modifiedSince} (nullable) leaves out files
 * last modified before it; {@code shard} limits the load to one shard of the files; {@code waitForLock} waits
 * for a concurrent load of the same scope instead of giving up.
 */
public record LoadOptions(boolean fullRefresh, Instant modifiedSince, Shard shard, boolean waitForLock)
{
    public static final LoadOptions INCREMENTAL = new LoadOptions(false, null, Shard.ALL, false);
    public static final LoadOptions FULL_REFRESH = new LoadOptions(true, null, Shard.ALL, false);

    public LoadOptions
    {
        requireNonNull(shard, "shard is null");
    }
}
