package dev.tracewh.format.geminicli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.FileTree;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.format.UnreadablePath;
import dev.tracewh.model.ParsedFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Gemini CLI: {@code ~/.gemini/tmp/<project>/chats/session-<time>-<id>.json} (up to v0.38) or {@code .jsonl} (v0.39
 * on), sub-agents in {@code chats/<parent session id>/<session id>.json[l]}; the home is {@code $GEMINI_CLI_HOME} when
 * set. The project folder is a slug (v0.29 on) or the SHA-256 of the project path; {@code ~/.gemini/projects.json} maps
 * paths to slugs.
 */
public final class GeminiFormat
        implements TraceFormat
{
    public static final String ID = "gemini_cli";

    /** Folders of a project's temp directory that hold no conversations (restore snapshots, logs, masked outputs, plans). */
    private static final Set<String> NOT_SESSIONS = Set.of("checkpoints", "tool-outputs", "logs", "plans", "tracker", "tasks");
    private static final Pattern PROJECT_HASH = Pattern.compile("\"projectHash\"\\s*:");
    private static final Pattern SESSION_ID = Pattern.compile("\"sessionId\"\\s*:");

    private final ObjectMapper mapper = JsonLines.newMapper();

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public List<Path> defaultRoots(Environment environment)
    {
        Path home = environment.variable("GEMINI_CLI_HOME").map(Path::of).orElse(environment.home());
        return List.of(home.resolve(".gemini").resolve("tmp"));
    }

    /**
     * The {@code .json} and {@code .jsonl} files in a {@code chats} folder or below it (sub-agents) and those named
     * {@code session-*}, except in the folders of {@link #NOT_SESSIONS} (the activity log is {@code logs/session-<id>.jsonl})
     * and a legacy {@code .json} whose session was resumed into a {@code .jsonl} of the same name. Other JSON files are
     * left to the formats that own them: the CLI's {@code logs.json} and {@code checkpoint-<tag>.json}, other agents'.
     */
    @Override
    public List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException
    {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        return FileTree.find(root, path -> isConversation(root, path), unreadable).stream().sorted().toList();
    }

    private static boolean isConversation(Path root, Path path)
    {
        String name = path.getFileName().toString();
        if (!name.endsWith(".jsonl") && (!name.endsWith(".json") || Files.exists(path.resolveSibling(name + "l")))) {
            return false;
        }
        for (Path folder : root.relativize(path)) {
            if (NOT_SESSIONS.contains(folder.toString())) {
                return false;
            }
        }
        if (name.startsWith("session-")) {
            return true;
        }
        for (Path folder = path.toAbsolutePath().getParent(); folder != null && folder.getFileName() != null; folder = folder.getParent()) {
            if ("chats".equals(folder.getFileName().toString())) {
                return true;
            }
        }
        return false;
    }

    /** The conversation's metadata names its {@code sessionId} and {@code projectHash}: the first line of a JSONL file, or near the start of a document. */
    @Override
    public boolean recognizes(Path file, FileHead head)
    {
        JsonNode first = head.firstLine();
        if (first.has("sessionId") && first.has("projectHash")) {
            return true;
        }
        return !first.isObject() && PROJECT_HASH.matcher(head.text()).find() && SESSION_ID.matcher(head.text()).find();
    }

    @Override
    public ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        GeminiSessionParser parser = new GeminiSessionParser(file, mapper, options, new Place(file, mapper));
        return file.getFileName().toString().endsWith(".jsonl") ? parser.parseLines(input) : parser.parseDocument(input);
    }

    /**
     * False: a legacy {@code .json} is rewritten whole on every save. A {@code .jsonl} file only grows, but a line it
     * gains ({@code $rewindTo}, {@code $set.messages}) can remove messages read before, so every change is read whole.
     */
    @Override
    public boolean appendOnly()
    {
        return false;
    }

    /** What a file's folder says: the parent of a sub-agent, and the project it belongs to. */
    record Place(Path file, ObjectMapper mapper)
    {
        Place
        {
            requireNonNull(file, "file is null");
            requireNonNull(mapper, "mapper is null");
        }

        /** The folder name of {@code chats/<parent session id>/<session id>.jsonl} (v0.37 on), else null. */
        String parentSessionId()
        {
            Path folder = file.toAbsolutePath().getParent();
            Path above = folder == null ? null : folder.getParent();
            if (above == null || above.getFileName() == null || !"chats".equals(above.getFileName().toString())) {
                return null;
            }
            return folder.getFileName().toString();
        }

        /**
         * The project path: the {@code .project_root} marker in the project folder, else the {@code projects.json} entry
         * whose slug is the folder's name, else the entry whose path hashes to {@code projectHash}; null when none says.
         */
        String projectPath(String projectHash)
        {
            Path chats = file.toAbsolutePath().getParent();
            while (chats != null && (chats.getFileName() == null || !"chats".equals(chats.getFileName().toString()))) {
                chats = chats.getParent();
            }
            if (chats == null || chats.getParent() == null) {
                return null;
            }
            Path projectFolder = chats.getParent();
            try {
                Path marker = projectFolder.resolve(".project_root");
                if (Files.isRegularFile(marker)) {
                    String path = Files.readString(marker, StandardCharsets.UTF_8).strip();
                    if (!path.isEmpty()) {
                        return path;
                    }
                }
                Path tmp = projectFolder.getParent();
                Path registry = tmp == null || tmp.getParent() == null ? null : tmp.getParent().resolve("projects.json");
                if (registry == null || !Files.isRegularFile(registry)) {
                    return null;
                }
                JsonNode projects = mapper.readTree(registry.toFile()).path("projects");
                String slug = projectFolder.getFileName().toString();
                for (Map.Entry<String, JsonNode> entry : projects.properties()) {
                    if (slug.equals(entry.getValue().asText())) {
                        return entry.getKey();
                    }
                }
                for (Map.Entry<String, JsonNode> entry : projects.properties()) {
                    if (projectHash != null && projectHash.equalsIgnoreCase(sha256(entry.getKey()))) {
                        return entry.getKey();
                    }
                }
            }
            catch (IOException unreadable) {
                // the path is a nicety: a conversation loads without it
                return null;
            }
            return null;
        }

        private static String sha256(String text)
        {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
            }
            catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
