package dev.tracewh.warehouse;

import org.h2.engine.ConnectionInfo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The file of an embedded H2 warehouse ({@code <name>.mv.db}) on this machine, for what H2 leaves to us: keeping it
 * private to its owner (it holds every session's content) and the copy of it taken aside while migrations run.
 * The copy and its restore read and write the file only while it is closed, under an OS lock that keeps H2 in
 * other processes from opening it meanwhile (H2 takes the same lock on the files it opens).
 */
record H2File(Path database)
{
    private static final Set<PosixFilePermission> OWNER = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final String COPY_INFIX = ".pre-migration-";

    H2File
    {
        requireNonNull(database, "database is null");
    }

    /** The local file of an H2 URL; empty for PostgreSQL, in-memory and remote H2, and H2's special file systems. */
    static Optional<H2File> of(DatabaseUrl url)
    {
        if (url.vendor() != DatabaseUrl.Vendor.H2) {
            return Optional.empty();
        }
        try {
            // H2's own reading of the URL: "~", "./", "file:", "nio:" and the baseDir setting resolve as H2 does
            ConnectionInfo info = new ConnectionInfo(url.jdbcUrl(), new Properties(), null, null);
            // names H2 still prefixes (split:, zip:, memFS:, ...) are not one plain file
            if (!info.isPersistent() || info.isRemote() || info.getName().matches("[A-Za-z][A-Za-z0-9]+:.*")) {
                return Optional.empty();
            }
            return Optional.of(new H2File(Path.of(info.getName() + ".mv.db")));
        }
        catch (RuntimeException e) {
            // a URL H2 cannot read: connecting reports it
            return Optional.empty();
        }
    }

    boolean exists()
    {
        return Files.exists(database);
    }

    /** Creates the file's missing folders, readable by their owner only (0700). */
    void createFolders()
    {
        Path folder = database.toAbsolutePath().getParent();
        if (folder == null || Files.isDirectory(folder)) {
            return;
        }
        try {
            if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER));
            }
            else {
                Files.createDirectories(folder);
            }
        }
        catch (IOException e) {
            throw new WarehouseException("cannot create the warehouse folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes group's and others' permissions off the file (0644 becomes 0600): H2 creates it with the umask's, and
     * older versions of tracewh left it so. Skipped where the file system has no POSIX permissions or refuses the
     * change (a file of another owner): the warehouse works as before.
     */
    void restrictToOwner()
    {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(database);
            if (!OWNER.containsAll(permissions)) {
                permissions.retainAll(OWNER);
                Files.setPosixFilePermissions(database, permissions);
            }
        }
        catch (UnsupportedOperationException | IOException e) {
            // no POSIX permissions here, or not ours to change
        }
    }

    /**
     * The copy taken before a migration that did not finish: it is deleted only once its migration succeeded, so
     * while it exists, the file has changed since the copy only by a migration that failed or was killed.
     */
    Optional<Path> copy()
    {
        String prefix = database.getFileName() + COPY_INFIX;
        List<Path> copies = new ArrayList<>();
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(folder(), entry -> entry.getFileName().toString().startsWith(prefix))) {
            matches.forEach(copies::add);
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new WarehouseException("cannot look for a copy of " + database + " taken before a migration: " + e.getMessage(), e);
        }
        if (copies.size() > 1) {
            throw new WarehouseException("there are several copies of " + database + " taken before migrations (" + copies
                    + "); a tracewh migration keeps only one: keep the one to restore and move the others away", null);
        }
        return copies.stream().findFirst();
    }

    /** The schema version a copy holds, from its name. */
    String copyVersion(Path copy)
    {
        String name = copy.getFileName().toString();
        return name.substring(name.lastIndexOf(COPY_INFIX) + COPY_INFIX.length());
    }

    /**
     * Copies the closed file aside as {@code <name>.mv.db.pre-migration-<version>}, next to it and readable by its
     * owner only. Written under a temporary name first, so a copy killed half-way is never taken for a whole one.
     */
    Path copyAside(String version)
    {
        Path copy = database.resolveSibling(database.getFileName() + COPY_INFIX + version);
        Path partial = database.resolveSibling(database.getFileName() + ".pre-migration.partial");
        try (FileChannel source = lock(StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Files.deleteIfExists(partial);
            try (FileChannel target = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), permissions())) {
                transfer(source, target);
            }
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
            return copy;
        }
        catch (IOException e) {
            deleteQuietly(partial);
            throw new WarehouseException("cannot copy " + database + " aside before migrating it (the copy needs as much free space as the file): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Writes the copy back over the closed file, then deletes it. Killed half-way, the copy is still there and the
     * next open writes it back again.
     */
    void restore(Path copy)
    {
        try (FileChannel target = lock(StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            try (FileChannel source = FileChannel.open(copy, StandardOpenOption.READ)) {
                target.truncate(0);
                transfer(source, target);
            }
            Files.delete(copy);
        }
        catch (IOException e) {
            throw new WarehouseException("cannot restore " + database + " from " + copy + ", the copy taken before a migration: " + e.getMessage()
                    + "; the copy stays and the next tracewh that migrates restores it", e);
        }
    }

    /** Deletes the copy once its migration succeeded. */
    void deleteCopy(Path copy)
    {
        try {
            Files.delete(copy);
        }
        catch (IOException e) {
            // left in place, the next open would take the migrated file for an interrupted migration and restore
            // the copy over what is written from now on
            throw new WarehouseException("the warehouse " + database + " is migrated, but the copy taken before cannot be deleted: " + e.getMessage()
                    + "; delete " + copy + " before running tracewh again", e);
        }
    }

    private Path folder()
    {
        Path folder = database.toAbsolutePath().getParent();
        return folder == null ? database.toAbsolutePath().getRoot() : folder;
    }

    /** The file opened and locked against H2 in other processes; fails as in use when one has it open. */
    private FileChannel lock(OpenOption... options)
            throws IOException
    {
        FileChannel channel = FileChannel.open(database, Set.of(options), permissions());
        FileLock lock;
        try {
            lock = channel.tryLock();
        }
        catch (OverlappingFileLockException e) {
            // H2 in this JVM has it open
            lock = null;
        }
        catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new WarehouseInUseException("the warehouse " + database + " is open in another process, "
                    + "such as a load (H2 lets one process at a time open a file): --wait waits until it closes the file", null);
        }
        // the lock goes with the channel
        return channel;
    }

    /** Read and write for the owner only (0600) where the file system knows POSIX permissions. */
    private FileAttribute<?>[] permissions()
    {
        if (!database.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))};
    }

    /** Copies every byte and forces them to the disk before the caller renames or deletes anything. */
    private static void transfer(FileChannel source, FileChannel target)
            throws IOException
    {
        long size = source.size();
        long position = 0;
        while (position < size) {
            position += source.transferTo(position, size - position, target);
        }
        target.force(true);
    }

    private static void deleteQuietly(Path file)
    {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            // the next copy deletes it first
        }
    }
}
