package dev.tracewh.load;

import dev.tracewh.warehouse.Warehouse;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Stops a load before an embedded H2 file fills its disk. H2 does not survive a full disk: it closes the database
 * in the middle of a transaction and can leave part of it in the file. So before each batch the load checks that the
 * disk holding the file keeps a margin free, and otherwise stops cleanly, naming the disk; the files not yet written
 * are loaded by the next load. A PostgreSQL server guards its own disk: a write that fails there rolls back whole.
 */
final class DiskSpace
{
    /** Free space needed on top of the margin, per source byte of a batch: H2 writes a file's rows once and its pages again at commit. */
    private static final long BYTES_WRITTEN_PER_SOURCE_BYTE = 4;

    private final Path folder;
    private final long minimumFreeBytes;

    private DiskSpace(Path folder, long minimumFreeBytes)
    {
        this.folder = folder;
        this.minimumFreeBytes = minimumFreeBytes;
    }

    /** The check for {@code warehouse}: a no-op for PostgreSQL and in-memory H2. */
    static DiskSpace of(Warehouse warehouse, long minimumFreeBytes)
    {
        return new DiskSpace(warehouse.localFile().map(file -> file.toAbsolutePath().getParent()).orElse(null), minimumFreeBytes);
    }

    /** Throws when writing a batch of {@code batchSourceBytes} could leave the disk with less than the margin. */
    void check(long batchSourceBytes)
            throws DiskFullException
    {
        if (folder == null) {
            return;
        }
        long needed = minimumFreeBytes + BYTES_WRITTEN_PER_SOURCE_BYTE * batchSourceBytes;
        long free;
        String disk;
        try {
            FileStore store = Files.getFileStore(folder);
            free = store.getUsableSpace();
            disk = store.name() + " (" + store + ")";
        }
        catch (IOException e) {
            throw new DiskFullException("cannot tell how much space is free on the disk holding " + folder + ": " + e.getMessage()
                    + "; the load stops rather than risk filling it");
        }
        if (free < needed) {
            throw new DiskFullException(String.format(Locale.ROOT,
                    "the disk %s holding the warehouse in %s has %,d MB free, less than the %,d MB the load keeps free: the load stopped "
                            + "before H2 could fill it. Files written so far are complete; free some space and load again to load the rest.",
                    disk, folder, free >> 20, needed >> 20));
        }
    }

    /** The disk is (nearly) full: the load stops. */
    static final class DiskFullException
            extends IOException
    {
        DiskFullException(String message)
        {
            super(message);
        }
    }
}
