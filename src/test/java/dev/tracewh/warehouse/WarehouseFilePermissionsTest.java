package dev.tracewh.warehouse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** An H2 warehouse holds every session's content: its file and the folders made for it are its owner's only. */
class WarehouseFilePermissionsTest
{
    @TempDir
    Path temp;

    @BeforeEach
    void posixFileSystem()
    {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }

    @Test
    void newWarehouseIsPrivate()
            throws IOException
    {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path folder = temp.resolve("home/.tracewh");
        try (Warehouse warehouse = Warehouse.openMigrated(DatabaseUrl.parse(folder.resolve("warehouse").toString()), notice -> {})) {
            assertEquals("rwx------", permissions(temp.resolve("home")));
            assertEquals("rwx------", permissions(folder));
            assertEquals("rw-------", permissions(folder.resolve("warehouse.mv.db")));
        }
        assertEquals("rw-------", permissions(folder.resolve("warehouse.mv.db")));
        assertEquals("rwxr-xr-x", permissions(temp), "a folder that was there keeps its permissions");
    }

    @Test
    void fileLeftOpenByAnOlderTracewhIsTightened()
            throws IOException
    {
        DatabaseUrl url = DatabaseUrl.parse(temp.resolve("warehouse").toString());
        Warehouse.open(url).close();
        Files.setPosixFilePermissions(temp.resolve("warehouse.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));

        Warehouse.open(url).close();

        assertEquals("rw-------", permissions(temp.resolve("warehouse.mv.db")));
    }

    @Test
    void compactedFileStaysPrivate()
            throws IOException
    {
        try (Warehouse warehouse = Warehouse.openMigrated(DatabaseUrl.parse(temp.resolve("warehouse").toString()), notice -> {})) {
            // H2 writes the compacted file anew, with the umask's permissions
            warehouse.compact();
        }
        assertEquals("rw-------", permissions(temp.resolve("warehouse.mv.db")));
    }

    @Test
    void copyTakenBeforeMigratingIsPrivate()
            throws IOException
    {
        DatabaseUrl url = DatabaseUrl.parse(temp.resolve("warehouse").toString());
        Warehouse.open(url).close();
        Files.setPosixFilePermissions(temp.resolve("warehouse.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));

        Path copy = H2File.of(url).orElseThrow().copyAside("8");

        assertEquals(temp.resolve("warehouse.mv.db.pre-migration-8"), copy);
        assertEquals("rw-------", permissions(copy));
    }

    private static String permissions(Path path)
            throws IOException
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
