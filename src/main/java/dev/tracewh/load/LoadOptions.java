package dev.tracewh.load;

import dev.tracewh.jsonl.JsonlReader;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * How to load: {@code fullRefresh} re-reads unchanged files and puts back child rows lost since they were written;
 * {@code modifiedSince} (nullable) leaves out files last modified before it; {@code shard} limits the load to one
 * shard of the files; {@code waitForLock} waits for a concurrent load of the same scope instead of giving up;
 * {@code replaceChanged} lets a file that shrank or whose start changed replace its stored rows (by default such a
 * file is refused and its rows kept); {@code maxLineBytes} bounds the line a parser holds.
 */
public record LoadOptions(boolean fullRefresh, Instant modifiedSince, Shard shard, boolean waitForLock, boolean replaceChanged, long maxLineBytes)
{
    public static final LoadOptions INCREMENTAL = new LoadOptions(false, null, Shard.ALL, false, false, JsonlReader.DEFAULT_MAX_LINE_BYTES);
    public static final LoadOptions FULL_REFRESH = new LoadOptions(true, null, Shard.ALL, false, false, JsonlReader.DEFAULT_MAX_LINE_BYTES);

    public LoadOptions
    {
        requireNonNull(shard, "shard is null");
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
    }

    public LoadOptions withShard(Shard shard)
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, waitForLock, replaceChanged, maxLineBytes);
    }

    public LoadOptions withWaitForLock()
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, true, replaceChanged, maxLineBytes);
    }

    public LoadOptions withModifiedSince(Instant modifiedSince)
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, waitForLock, replaceChanged, maxLineBytes);
    }

    public LoadOptions withReplaceChanged()
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, waitForLock, true, maxLineBytes);
    }

    public LoadOptions withMaxLineBytes(long maxLineBytes)
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, waitForLock, replaceChanged, maxLineBytes);
    }
}
