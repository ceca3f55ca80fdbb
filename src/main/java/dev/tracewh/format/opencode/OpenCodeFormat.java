package dev.tracewh.format.opencode;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.FileTree;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.format.UnreadablePath;
import dev.tracewh.format.WholeDocument;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Trace;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * OpenCode (anomalyco/opencode, formerly sst/opencode): a data folder {@code $XDG_DATA_HOME/opencode}, by default
 * {@code ~/.local/share/opencode} (ccusage's {@code OPENCODE_DATA_DIR} names another), holding the SQLite database
 * {@code opencode.db}, one {@code opencode-<channel>.db} per other install channel, and the legacy JSON tree
 * {@code storage/} OpenCode wrote before it had a database. One session is one trace, read from one place: a database
 * (the main one before the channels'), else its session file in the JSON tree. A database is read again only for the
 * sessions updated since its last load.
 */
public final class OpenCodeFormat
        implements TraceFormat
{
    public static final String ID = "opencode";
    static final String MAIN_DB = "opencode.db";
    private static final byte[] SQLITE_HEADER = "SQLite format 3\u0000".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper mapper = JsonLines.newMapper();

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public List<Path> defaultRoots(Environment environment)
    {
        return List.of(environment.variable("OPENCODE_DATA_DIR").map(Path::of)
                .orElseGet(() -> environment.variable("XDG_DATA_HOME").map(Path::of).orElseGet(() -> environment.home().resolve(".local/share"))
                        .resolve("opencode")));
    }

    /**
     * A file is read as it is. Below a data folder: its databases, then the session files of {@code storage/} (or of
     * the folder itself when it is a {@code storage} folder) whose sessions no database holds.
     */
    @Override
    public List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException
    {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        List<Path> found = new ArrayList<>();
        try {
            found.addAll(databases(root));
        }
        catch (IOException e) {
            unreadable.accept(UnreadablePath.of(root, e));
            return List.of();
        }
        Set<String> inDatabases = new HashSet<>();
        for (Path database : found) {
            try {
                inDatabases.addAll(OpenCodeDb.sessionIds(database));
            }
            catch (IOException e) {
                // the JSON copies would be loaded now and taken back by the database on the next load
                unreadable.accept(UnreadablePath.of(database, e));
                return found;
            }
        }
        Path storage = Files.isDirectory(root.resolve("storage")) ? root.resolve("storage") : root;
        Path sessions = storage.resolve("session");
        if (Files.isDirectory(sessions)) {
            for (Path file : FileTree.find(sessions, path -> path.getFileName().toString().endsWith(".json"), unreadable)) {
                if (inDatabases.isEmpty() || !inDatabases.contains(StorageTree.sessionId(file, mapper))) {
                    found.add(file);
                }
            }
        }
        return found.stream().sorted().toList();
    }

    /** {@code opencode.db} and {@code opencode-<channel>.db} right in {@code folder}. */
    private static List<Path> databases(Path folder)
            throws IOException
    {
        List<Path> databases = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "opencode*.db")) {
            for (Path file : files) {
                if (isDatabaseName(file) && Files.isRegularFile(file)) {
                    databases.add(file);
                }
            }
        }
        databases.sort(null);
        return databases;
    }

    private static boolean isDatabaseName(Path file)
    {
        String name = file.getFileName().toString();
        return name.equals(MAIN_DB) || name.startsWith("opencode-") && name.endsWith(".db");
    }

    /** A database by its name and SQLite header; a session file by its place in {@code session/<projectID>/} and its keys. */
    @Override
    public boolean recognizes(Path file, FileHead head)
    {
        if (head.text().startsWith("SQLite format 3")) {
            return isDatabaseName(file);
        }
        return StorageTree.storageOf(file) != null && head.text().contains("\"id\"") && head.text().contains("\"time\"");
    }

    @Override
    public ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        BufferedInputStream buffered = new BufferedInputStream(input);
        buffered.mark(SQLITE_HEADER.length);
        byte[] start = buffered.readNBytes(SQLITE_HEADER.length);
        buffered.reset();
        if (Arrays.equals(start, SQLITE_HEADER)) {
            return readDatabase(file, buffered, options);
        }
        WholeDocument document = WholeDocument.read(buffered, options);
        if (document.tooLarge()) {
            return document.tooLargeFile("the session file", options, new ArrayList<>());
        }
        StorageTree tree = new StorageTree(file, mapper, options.excerpt());
        List<Trace> traces = tree.read(document.bytes());
        return new ParsedFile(traces, tree.issues(), document.consumedBytes(), document.consumedSha256(), null,
                document.replacedCharacters() + tree.replacedCharacters());
    }

    /** The database is read through SQLite; its bytes are only hashed, as the file's content. */
    private ParsedFile readDatabase(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        MessageDigest digest = sha256();
        long consumed;
        try (DigestInputStream hashed = new DigestInputStream(input, digest)) {
            consumed = hashed.transferTo(OutputStream.nullOutputStream());
        }
        OpenCodeDb.Result result = new OpenCodeDb(file, mapper, options.excerpt()).read(options.resumeCursor(), heldByPreferred(file));
        return new ParsedFile(result.traces(), result.issues(), consumed, HexFormat.of().formatHex(digest.digest()), null, result.replacedCharacters(),
                result.cursor());
    }

    /** The sessions the databases preferred to {@code file} in its folder hold: a copy of them here is not read. */
    private static Set<String> heldByPreferred(Path file)
    {
        Set<String> held = new HashSet<>();
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !isDatabaseName(file)) {
            return held;
        }
        try {
            for (Path other : databases(folder)) {
                if (preferred(other, file)) {
                    held.addAll(OpenCodeDb.sessionIds(other));
                }
            }
        }
        catch (IOException unreadable) {
            // a database that cannot be read now holds nothing this load can take
        }
        return held;
    }

    /** Of two databases, {@code opencode.db} before the channels', and the channels' by name. */
    private static boolean preferred(Path database, Path other)
    {
        String name = database.getFileName().toString();
        String otherName = other.getFileName().toString();
        if (name.equals(otherName)) {
            return false;
        }
        return name.equals(MAIN_DB) || !otherName.equals(MAIN_DB) && name.compareTo(otherName) < 0;
    }

    /** OpenCode updates messages and parts in place. */
    @Override
    public boolean appendOnly()
    {
        return false;
    }

    /**
     * A database commits to its {@code -wal} until a checkpoint; a session file's session changes in its message
     * files and their part folders.
     */
    @Override
    public List<Path> companions(Path file)
    {
        String name = file.getFileName().toString();
        if (name.endsWith(".db")) {
            return List.of(file.resolveSibling(name + "-wal"));
        }
        Path storage = StorageTree.storageOf(file);
        String id = StorageTree.sessionId(file, mapper);
        if (storage == null || id == null) {
            return List.of();
        }
        List<Path> companions = new ArrayList<>();
        Path messages = storage.resolve("message").resolve(id);
        companions.add(messages);
        try {
            for (Path message : StorageTree.jsonFiles(messages)) {
                companions.add(message);
                Path parts = storage.resolve("part").resolve(StorageTree.stem(message));
                companions.add(parts);
                companions.addAll(StorageTree.jsonFiles(parts));
            }
        }
        catch (IOException unreadable) {
            // the parse reports what cannot be read
        }
        return companions;
    }

    /**
     * A database read on an incremental load yields only the sessions updated since the last: those it does not yield
     * are unchanged, or deleted in OpenCode, and their stored rows stay.
     */
    @Override
    public boolean keepsDroppedSessions()
    {
        return true;
    }

    /** In one data folder, a database supersedes the JSON tree, and the preferred database another. */
    @Override
    public boolean supersedes(Path file, Path owner)
    {
        Path folder = dataFolder(file);
        if (folder == null || !folder.equals(dataFolder(owner)) || !file.getFileName().toString().endsWith(".db")) {
            return false;
        }
        return !owner.getFileName().toString().endsWith(".db") || preferred(file, owner);
    }

    private static Path dataFolder(Path file)
    {
        if (file.getFileName().toString().endsWith(".db")) {
            return file.toAbsolutePath().normalize().getParent();
        }
        Path storage = StorageTree.storageOf(file.toAbsolutePath().normalize());
        return storage == null ? null : storage.getParent();
    }

    private static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
