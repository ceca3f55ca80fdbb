package dev.tracewh.load;

import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.TraceWriter;

import java.time.Duration;

/**
 * How a load moves files from its parsers to the warehouse, per database; the numbers come from the 1 GB benchmark
 * corpus (docs/benchmarks.md). Tests take one-file batches, so that concurrent writers meet on every file.
 *
 * @param readAheadBytes source bytes parsed but not yet written: a parsed file takes up to ten times its size in
 *         memory. PostgreSQL loads wait on the server, and parsers that run further ahead keep its queue full. H2
 *         loads wait on H2's writer, where more read-ahead only holds more memory.
 * @param batchFiles files per transaction, at most; see {@link Loader} for why H2 takes small batches
 * @param batchBytes source bytes per transaction, at most
 * @param writers connections that write batches at the same time: PostgreSQL takes two, so one backend works
 *         while the other waits on its writer thread. An embedded H2 does its writing on the calling thread, and a
 *         second writer would wait on the first.
 * @param minimumFreeDiskBytes what an H2 load leaves free on the warehouse's disk ({@link DiskSpace})
 * @param usageLockTimeout how long a PostgreSQL writer waits for the token usage lock before the load stops
 */
record LoadTuning(long readAheadBytes, int batchFiles, long batchBytes, int writers, long minimumFreeDiskBytes, Duration usageLockTimeout)
{
    private static final long MINIMUM_FREE_DISK_BYTES = 64L << 20;

    LoadTuning
    {
        if (readAheadBytes < 1 || batchFiles < 1 || batchBytes < 1 || writers < 1 || minimumFreeDiskBytes < 0) {
            throw new IllegalArgumentException("every limit must be positive: " + readAheadBytes + ", " + batchFiles + ", " + batchBytes + ", " + writers
                    + ", " + minimumFreeDiskBytes);
        }
    }

    static LoadTuning of(DatabaseUrl.Vendor vendor)
    {
        return switch (vendor) {
            case POSTGRESQL -> new LoadTuning(32L << 20, 64, 4L << 20, 2, MINIMUM_FREE_DISK_BYTES, TraceWriter.USAGE_LOCK_TIMEOUT);
            case H2 -> new LoadTuning(16L << 20, 8, 1L << 20, 1, MINIMUM_FREE_DISK_BYTES, TraceWriter.USAGE_LOCK_TIMEOUT);
        };
    }

    LoadTuning withBatchFiles(int files)
    {
        return new LoadTuning(readAheadBytes, files, batchBytes, writers, minimumFreeDiskBytes, usageLockTimeout);
    }

    LoadTuning withMinimumFreeDiskBytes(long bytes)
    {
        return new LoadTuning(readAheadBytes, batchFiles, batchBytes, writers, bytes, usageLockTimeout);
    }

    LoadTuning withUsageLockTimeout(Duration timeout)
    {
        return new LoadTuning(readAheadBytes, batchFiles, batchBytes, writers, minimumFreeDiskBytes, timeout);
    }
}
