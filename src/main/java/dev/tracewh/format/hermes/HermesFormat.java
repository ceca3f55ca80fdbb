package dev.tracewh.format.hermes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.format.UnreadablePath;
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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Hermes Agent (NousResearch): a home {@code $HERMES_HOME}, by default {@code ~/.hermes}, and one more per profile
 * under {@code <home>/profiles/<name>}. Each home holds the SQLite store {@code state.db} and, in {@code sessions/},
 * the CLI snapshots {@code session_<id>.json} and gateway transcripts {@code <id>.jsonl}. One session is one trace,
 * read from one artifact: the store when it holds the session, else the transcript, else the longest snapshot.
 */
public final class HermesFormat
        implements TraceFormat
{
    public static final String ID = "hermes_agent";
    static final String STATE_DB = "state.db";
    private static final byte[] SQLITE_HEADER = "SQLite format 3\u0000".getBytes(StandardCharsets.US_ASCII);
    /** Files in {@code sessions/} that are not sessions: the gateway index, API request dumps, ShareGPT trajectories. */
    private static final Set<String> NOT_SESSIONS = Set.of("sessions.json", "trajectory_samples.jsonl", "failed_trajectories.jsonl");

    private final ObjectMapper mapper = JsonLines.newMapper();
    private final ZoneId zone;

    /** Naive local timestamps are read in this machine's time zone. */
    public HermesFormat()
    {
        this(ZoneId.systemDefault());
    }

    public HermesFormat(ZoneId zone)
    {
        this.zone = requireNonNull(zone, "zone is null");
    }

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public List<Path> defaultRoots(Environment environment)
    {
        return List.of(environment.variable("HERMES_HOME").map(Path::of).orElseGet(() -> environment.home().resolve(".hermes")));
    }

    /**
     * A file is read as it is. Below a folder (a home, or a {@code sessions} folder), per home: the store, then only
     * the session files of sessions it does not hold, one file per session id.
     */
    @Override
    public List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException
    {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        List<Path> found = new ArrayList<>();
        for (Path home : homes(root, unreadable)) {
            found.addAll(discoverHome(home, unreadable));
        }
        return found.stream().sorted().toList();
    }

    private static List<Path> homes(Path root, Consumer<UnreadablePath> unreadable)
    {
        List<Path> homes = new ArrayList<>();
        homes.add(root);
        Path profiles = root.resolve("profiles");
        if (Files.isDirectory(profiles)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(profiles, Files::isDirectory)) {
                children.forEach(homes::add);
            }
            catch (IOException e) {
                unreadable.accept(UnreadablePath.of(profiles, e));
            }
        }
        return homes;
    }

    private List<Path> discoverHome(Path home, Consumer<UnreadablePath> unreadable)
    {
        List<Path> found = new ArrayList<>();
        Set<String> inStore = Set.of();
        Path store = home.resolve(STATE_DB);
        if (Files.isRegularFile(store)) {
            try {
                inStore = StateDb.sessionIds(store);
                found.add(store);
            }
            catch (IOException e) {
                // reading the JSON files instead would load sessions the store takes back on the next load
                unreadable.accept(UnreadablePath.of(store, e));
                return found;
            }
        }
        Path sessions = Files.isDirectory(home.resolve("sessions")) ? home.resolve("sessions") : home;
        // a folder that is neither a home nor a sessions folder (a --path given without --format) may hold other
        // agents' .jsonl files: only those whose content is Hermes' are taken
        boolean hermesFolder = !found.isEmpty() || !sessions.equals(home) || "sessions".equals(String.valueOf(home.getFileName()));
        Map<String, Path> chosen = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(sessions, Files::isRegularFile)) {
            for (Path file : files) {
                String id = sessionIdOf(file);
                if (id == null || inStore.contains(id) || !hermesFolder && !looksLikeHermes(file)) {
                    continue;
                }
                Path other = chosen.get(id);
                if (other == null || preferred(file, other)) {
                    chosen.put(id, file);
                }
            }
        }
        catch (IOException e) {
            unreadable.accept(UnreadablePath.of(sessions, e));
        }
        found.addAll(chosen.values());
        return found;
    }

    private boolean looksLikeHermes(Path file)
    {
        try {
            return recognizes(file, FileHead.read(file, mapper));
        }
        catch (IOException unreadable) {
            return false;
        }
    }

    /** The session a file in {@code sessions/} holds, or null when it holds none. */
    private String sessionIdOf(Path file)
    {
        String name = file.getFileName().toString();
        if (NOT_SESSIONS.contains(name) || name.startsWith("request_dump_")) {
            return null;
        }
        if (name.endsWith(".jsonl")) {
            return stem(file);
        }
        if (name.startsWith("session_") && name.endsWith(".json")) {
            // a compression continues the session under a new id in the same, start-up named, file
            String inside = snapshotSessionId(file);
            return inside != null ? inside : snapshotFileSessionId(file);
        }
        return null;
    }

    /** A transcript over a snapshot (it has per-turn times); of two snapshots, the longer (a stale one is shorter). */
    private static boolean preferred(Path file, Path other)
    {
        int rank = Integer.compare(rank(file), rank(other));
        if (rank != 0) {
            return rank > 0;
        }
        try {
            long size = Files.size(file);
            long otherSize = Files.size(other);
            return size != otherSize ? size > otherSize : file.compareTo(other) < 0;
        }
        catch (IOException gone) {
            return false;
        }
    }

    private static int rank(Path file)
    {
        String name = file.getFileName().toString();
        return name.equals(STATE_DB) ? 3 : name.endsWith(".jsonl") ? 2 : 1;
    }

    /** The top-level {@code session_id} of a snapshot, read field by field: it comes first, before the messages. */
    private String snapshotSessionId(Path file)
    {
        try (JsonParser parser = mapper.getFactory().createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if ("session_id".equals(name)) {
                    return token == JsonToken.VALUE_STRING || token.isNumeric() ? parser.getText() : null;
                }
                parser.skipChildren();
            }
            return null;
        }
        catch (IOException unreadableOrBroken) {
            return null;
        }
    }

    /** A SQLite database by its header; a transcript by a first line with a role; a snapshot by its keys. */
    @Override
    public boolean recognizes(Path file, FileHead head)
    {
        if (head.text().startsWith("SQLite format 3")) {
            return true;
        }
        if (head.firstLine().path("role").isTextual()) {
            return true;
        }
        String text = head.text();
        return text.contains("\"messages\"") && (text.contains("\"session_id\"") || text.contains("\"session_start\""));
    }

    @Override
    public ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        if (file.getFileName().toString().endsWith(".jsonl")) {
            return new TranscriptParser(file, mapper, options, zone).parse(input);
        }
        BufferedInputStream buffered = new BufferedInputStream(input);
        buffered.mark(SQLITE_HEADER.length);
        byte[] start = buffered.readNBytes(SQLITE_HEADER.length);
        buffered.reset();
        if (Arrays.equals(start, SQLITE_HEADER)) {
            return readStore(file, buffered, options);
        }
        return new SnapshotParser(file, mapper, options, zone).parse(buffered);
    }

    /** The store is read through SQLite; its bytes are only hashed, as the file's content. */
    private ParsedFile readStore(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        MessageDigest digest = sha256();
        long consumed;
        try (DigestInputStream hashed = new DigestInputStream(input, digest)) {
            consumed = hashed.transferTo(OutputStream.nullOutputStream());
        }
        StateDb store = new StateDb(file, mapper, options.excerpt());
        List<Trace> traces = store.read();
        return new ParsedFile(traces, store.issues(), consumed, HexFormat.of().formatHex(digest.digest()), null, store.replacedCharacters());
    }

    /** Hermes rewrites snapshots after every turn and transcripts on /undo, /retry and /compress. */
    @Override
    public boolean appendOnly()
    {
        return false;
    }

    /**
     * In WAL mode the agent commits to {@code state.db-wal} until a checkpoint; a transcript takes the system prompt
     * from its session's snapshot and, without a store, its token totals from the gateway index.
     */
    @Override
    public List<Path> companions(Path file)
    {
        String name = file.getFileName().toString();
        if (name.endsWith(".jsonl")) {
            return List.of(file.resolveSibling("session_" + stem(file) + ".json"), file.resolveSibling("sessions.json"));
        }
        if (name.equals(STATE_DB)) {
            return List.of(file.resolveSibling(name + "-wal"));
        }
        return List.of();
    }

    /**
     * A snapshot whose session was compressed holds the continuation from then on, under the continuation's id; the
     * sessions it held before are not in it any more, but they happened: their stored rows are kept.
     */
    @Override
    public boolean keepsDroppedSessions()
    {
        return true;
    }

    /** In one home, the store supersedes the JSON files, a transcript its snapshot, and a longer snapshot a shorter one. */
    @Override
    public boolean supersedes(Path file, Path owner)
    {
        if (!home(file).equals(home(owner))) {
            return false;
        }
        int rank = Integer.compare(rank(file), rank(owner));
        if (rank != 0) {
            return rank > 0;
        }
        if (rank(file) != 1) {
            return false;
        }
        try {
            return Files.size(file) >= Files.size(owner);
        }
        catch (IOException gone) {
            return false;
        }
    }

    private static Path home(Path file)
    {
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (file.getFileName().toString().equals(STATE_DB)) {
            return parent;
        }
        return parent.getFileName() != null && parent.getFileName().toString().equals("sessions") && parent.getParent() != null ? parent.getParent() : parent;
    }

    /** True when the home of a session file has a store (then the gateway index's token totals are not used). */
    static boolean hasStateDb(Path sessionFile)
    {
        return Files.isRegularFile(home(sessionFile).resolve(STATE_DB));
    }

    /** The file name without its extension. */
    static String stem(Path file)
    {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** {@code <id>} of a file named {@code session_<id>.json}, else null. */
    static String snapshotFileSessionId(Path file)
    {
        String name = file.getFileName().toString();
        return name.startsWith("session_") && name.endsWith(".json") && name.length() > "session_.json".length()
                ? name.substring("session_".length(), name.length() - ".json".length()) : null;
    }

    static void putText(SortedMap<String, Object> meta, String key, String value)
    {
        if (value != null && !value.isEmpty()) {
            meta.put(key, value);
        }
    }

    /** The names of the tools offered, from OpenAI ({@code function.name}) or Anthropic-style ({@code name}) schemas. */
    static void putToolNames(SortedMap<String, Object> meta, JsonNode tools)
    {
        if (tools == null || !tools.isArray() || tools.isEmpty()) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode tool : tools) {
            JsonNode function = JsonFields.object(tool, "function");
            String name = function != null ? JsonFields.nonEmptyText(function, "name") : null;
            name = name != null ? name : tool.isObject() ? JsonFields.nonEmptyText(tool, "name") : null;
            if (name != null) {
                names.add(name);
            }
        }
        meta.put("available_tool_count", tools.size());
        meta.put("available_tool_names", List.copyOf(names));
    }

    static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
