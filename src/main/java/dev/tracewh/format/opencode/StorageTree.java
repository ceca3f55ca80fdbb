package dev.tracewh.format.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.UnstorableEscapes;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.Trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * OpenCode's legacy JSON store {@code <data>/storage/}, written before the SQLite database (and imported into it once):
 * {@code session/<projectID>/<sessionID>.json}, {@code message/<sessionID>/<messageID>.json} and
 * {@code part/<messageID>/<partID>.json}, or in the oldest layout every part flat in {@code part/}, naming its
 * message. One session file is one trace; a message or part file that is not JSON is an issue naming it, and the rest
 * of the session loads. Ids come from the files' JSON, else from their names.
 */
final class StorageTree
{
    private final Path sessionFile;
    private final ObjectMapper mapper;
    private final UnaryOperator<String> excerpt;
    private final List<ParseIssue> issues = new ArrayList<>();
    private long replacedCharacters;

    StorageTree(Path sessionFile, ObjectMapper mapper, UnaryOperator<String> excerpt)
    {
        this.sessionFile = requireNonNull(sessionFile, "sessionFile is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.excerpt = requireNonNull(excerpt, "excerpt is null");
    }

    /** {@code storage/} of a session file {@code storage/session/<projectID>/<id>.json}, or null when it is not in one. */
    static Path storageOf(Path sessionFile)
    {
        Path project = sessionFile.toAbsolutePath().getParent();
        Path sessions = project == null ? null : project.getParent();
        return sessions != null && sessions.getFileName() != null && sessions.getFileName().toString().equals("session") ? sessions.getParent() : null;
    }

    /** The session's id: its JSON's {@code id}, else the file name; null when the file is not a JSON object. */
    static String sessionId(Path sessionFile, ObjectMapper mapper)
    {
        try {
            JsonNode session = mapper.readTree(sessionFile.toFile());
            if (session == null || !session.isObject()) {
                return null;
            }
            String id = JsonFields.nonEmptyText(session, "id");
            return id != null ? id : stem(sessionFile);
        }
        catch (IOException unreadableOrBroken) {
            return null;
        }
    }

    List<ParseIssue> issues()
    {
        return issues;
    }

    long replacedCharacters()
    {
        return replacedCharacters;
    }

    /** The session's trace, or none when the session file itself is not a JSON object (an issue then). */
    List<Trace> read(byte[] sessionBytes)
            throws IOException
    {
        JsonNode session = parse(sessionBytes, sessionFile);
        if (session == null) {
            return List.of();
        }
        Path storage = storageOf(sessionFile);
        String id = JsonFields.nonEmptyText(session, "id") != null ? JsonFields.text(session, "id") : stem(sessionFile);
        String parent = JsonFields.nonEmptyText(session, "parentID");
        String root = parent == null ? id : rootOf(parent);
        List<SessionRows.MessageRow> messages = storage == null ? List.of() : messages(storage, id);
        String projectId = JsonFields.nonEmptyText(session, "projectID");
        String directory = JsonFields.nonEmptyText(session, "directory");
        String worktree = storage == null || projectId == null ? null : worktree(storage.resolve("project").resolve(projectId + ".json"));
        JsonNode time = JsonFields.object(session, "time");
        SortedMap<String, Object> meta = new TreeMap<>();
        meta.put("storage", "json");
        meta.put("session_id", id);
        OpenCodeDb.putText(meta, "slug", JsonFields.nonEmptyText(session, "slug"));
        OpenCodeDb.putText(meta, "project_id", projectId);
        OpenCodeDb.putText(meta, "share_url", JsonFields.nonEmptyText(session.path("share"), "url"));
        JsonNode summary = JsonFields.object(session, "summary");
        for (String field : List.of("additions", "deletions", "files")) {
            long value = JsonFields.longValue(summary, field);
            if (value != 0) {
                meta.put("summary_" + field, value);
            }
        }
        JsonNode revert = JsonFields.object(session, "revert");
        if (revert != null) {
            OpenCodeDb.putText(meta, "revert_message_id", JsonFields.nonEmptyText(revert, "messageID"));
        }
        SessionRows rows = new SessionRows(id, parent == null ? id : root + ":" + id, root, parent, null, directory,
                worktree != null && !worktree.equals("/") ? worktree : directory, JsonFields.nonEmptyText(session, "title"),
                JsonFields.nonEmptyText(session, "version"), epochMillis(time, "created"), epochMillis(time, "updated"), revert, messages, meta);
        return List.of(new SessionBuilder(mapper, sessionFile.toString()).build(rows));
    }

    private List<SessionRows.MessageRow> messages(Path storage, String sessionId)
            throws IOException
    {
        Map<String, List<SessionRows.PartRow>> flatParts = flatParts(storage.resolve("part"));
        List<SessionRows.MessageRow> messages = new ArrayList<>();
        for (Path file : jsonFiles(storage.resolve("message").resolve(sessionId))) {
            JsonNode message = json(Files.readAllBytes(file), file);
            if (message == null) {
                continue;
            }
            String id = JsonFields.nonEmptyText(message, "id") != null ? JsonFields.text(message, "id") : stem(file);
            List<SessionRows.PartRow> parts = new ArrayList<>(flatParts.getOrDefault(id, List.of()));
            for (Path partFile : jsonFiles(storage.resolve("part").resolve(id))) {
                JsonNode part = json(Files.readAllBytes(partFile), partFile);
                if (part != null) {
                    parts.add(new SessionRows.PartRow(JsonFields.nonEmptyText(part, "id") != null ? JsonFields.text(part, "id") : stem(partFile), part, null));
                }
            }
            JsonNode time = JsonFields.object(message, "time");
            messages.add(new SessionRows.MessageRow(id, epochMillis(time, "created"), message, parts));
        }
        messages.sort(Comparator.comparing((SessionRows.MessageRow message) -> message.timeCreated() == null ? Long.MIN_VALUE : message.timeCreated())
                .thenComparing(SessionRows.MessageRow::id));
        return messages;
    }

    /** The oldest layout's parts, each a file right in {@code part/} naming its message, by message; in file name order. */
    private Map<String, List<SessionRows.PartRow>> flatParts(Path parts)
            throws IOException
    {
        Map<String, List<SessionRows.PartRow>> byMessage = new HashMap<>();
        for (Path file : jsonFiles(parts)) {
            JsonNode part = json(Files.readAllBytes(file), file);
            String message = part == null ? null : JsonFields.nonEmptyText(part, "messageID");
            if (message != null) {
                byMessage.computeIfAbsent(message, ignored -> new ArrayList<>())
                        .add(new SessionRows.PartRow(JsonFields.nonEmptyText(part, "id") != null ? JsonFields.text(part, "id") : stem(file), part, null));
            }
        }
        return byMessage;
    }

    /** The root of a child session: the parent chain followed through the session files of the same project. */
    private String rootOf(String parent)
    {
        Set<String> seen = new HashSet<>();
        String current = parent;
        while (seen.add(current)) {
            Path file = sessionFile.resolveSibling(current + ".json");
            if (!Files.isRegularFile(file)) {
                return current;
            }
            try {
                String next = JsonFields.nonEmptyText(mapper.readTree(file.toFile()), "parentID");
                if (next == null) {
                    return current;
                }
                current = next;
            }
            catch (IOException unreadable) {
                return current;
            }
        }
        return current;
    }

    private String worktree(Path projectFile)
    {
        try {
            return Files.isRegularFile(projectFile) ? JsonFields.nonEmptyText(mapper.readTree(projectFile.toFile()), "worktree") : null;
        }
        catch (IOException unreadable) {
            return null;
        }
    }

    /** The {@code .json} files right in {@code folder}, by name; none when it does not exist. */
    static List<Path> jsonFiles(Path folder)
            throws IOException
    {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*.json")) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** A file's JSON object, its unstorable escapes replaced; anything else is an issue naming the file, and null. */
    private JsonNode json(byte[] bytes, Path file)
    {
        replacedCharacters += UnstorableEscapes.replace(bytes, 0, bytes.length);
        return parse(bytes, file);
    }

    private JsonNode parse(byte[] bytes, Path file)
    {
        try {
            JsonNode node = mapper.readTree(bytes);
            if (node != null && node.isObject()) {
                return node;
            }
            issue(JsonLines.NOT_AN_OBJECT, file + " is not a JSON object: left out", bytes);
        }
        catch (IOException notJson) {
            issue(JsonLines.INVALID_JSON, file + " is not JSON (" + OpenCodeDb.reason(notJson) + "): left out", bytes);
        }
        return null;
    }

    private void issue(String errorClass, String message, byte[] bytes)
    {
        String text = new String(bytes, 0, Math.min(bytes.length, ParseIssue.EXCERPT_WINDOW_CHARS), StandardCharsets.UTF_8);
        issues.add(new ParseIssue(0, errorClass, message, excerpt.apply(text)));
    }

    private static Long epochMillis(JsonNode time, String field)
    {
        return time != null && time.path(field).canConvertToLong() ? time.get(field).longValue() : null;
    }

    static String stem(Path file)
    {
        String name = file.getFileName().toString();
        return name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
    }
}
