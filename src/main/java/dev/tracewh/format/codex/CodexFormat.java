package dev.tracewh.format.codex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Codex CLI rollouts: {@code $CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl} and the flat
 * {@code $CODEX_HOME/archived_sessions/}, either plain or rewritten as {@code rollout-*.jsonl.zst} once cold.
 */
public final class CodexFormat
        implements TraceFormat
{
    public static final String ID = "codex";

    private static final String PLAIN_SUFFIX = ".jsonl";
    private static final String COMPRESSED_SUFFIX = ".jsonl.zst";
    /** {@code rollout-YYYY-MM-DDThh-mm-ss-<thread uuid>.jsonl[.zst]}, the name Codex gives every rollout. */
    private static final Pattern ROLLOUT_NAME = Pattern.compile(
            "rollout-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-(\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12})\\.jsonl(?:\\.zst)?");

    private final ObjectMapper mapper = JsonLines.newMapper();

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public List<Path> defaultRoots(Environment environment)
    {
        Path codexHome = environment.variable("CODEX_HOME")
                .map(Path::of)
                .orElseGet(() -> environment.home().resolve(".codex"));
        return List.of(codexHome.resolve("sessions"), codexHome.resolve("archived_sessions"));
    }

    @Override
    public List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException
    {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        List<Path> rollouts = FileTree.find(root, CodexFormat::isRollout, unreadable);
        // Codex deletes the plain file after compressing it; while both exist the plain one is current
        Set<Path> plain = new HashSet<>();
        for (Path path : rollouts) {
            if (!isCompressed(path)) {
                plain.add(path);
            }
        }
        return rollouts.stream()
                .filter(path -> !isCompressed(path) || !plain.contains(plainCounterpart(path)))
                .sorted()
                .toList();
    }

    static boolean isRollout(Path path)
    {
        String name = path.getFileName().toString();
        return name.startsWith("rollout-") && (name.endsWith(PLAIN_SUFFIX) || name.endsWith(COMPRESSED_SUFFIX));
    }

    static boolean isCompressed(Path path)
    {
        return path.getFileName().toString().endsWith(COMPRESSED_SUFFIX);
    }

    /**
     * The thread id a rollout's file name ends with; for a name Codex did not give (a copy, a tool's export), the
     * name without its {@code .jsonl} or {@code .jsonl.zst}, so a rollout without {@code session_meta} is still a trace.
     */
    static String fileNameThreadId(Path path)
    {
        String fileName = path.getFileName().toString();
        Matcher name = ROLLOUT_NAME.matcher(fileName);
        if (name.matches()) {
            return name.group(1);
        }
        String suffix = fileName.endsWith(COMPRESSED_SUFFIX) ? COMPRESSED_SUFFIX : fileName.endsWith(PLAIN_SUFFIX) ? PLAIN_SUFFIX : "";
        return fileName.substring(0, fileName.length() - suffix.length());
    }

    private static Path plainCounterpart(Path compressed)
    {
        String name = compressed.getFileName().toString();
        return compressed.resolveSibling(name.substring(0, name.length() - ".zst".length()));
    }

    /**
     * Parses a rollout; a {@code .jsonl.zst} file is decompressed here, and its {@code consumedBytes} then counts
     * decompressed bytes (compressed rollouts are cold and never appended to).
     */
    /** Rollouts are named so; an envelope line has a {@code payload}, a mid-2025 header a session {@code id} and {@code timestamp}. */
    @Override
    public boolean recognizes(Path file, FileHead head)
    {
        JsonNode line = head.firstLine();
        return isRollout(file) || line.has("payload") && line.has("type") || line.has("id") && line.has("timestamp") && line.has("instructions");
    }

    @Override
    public ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        if (isCompressed(file)) {
            try (InputStream decompressed = new ZstdInputStream(input)) {
                return new RolloutParser(file, mapper, options).parse(decompressed);
            }
        }
        return new RolloutParser(file, mapper, options).parse(input);
    }

    /** Codex appends to a rollout, and compresses a cold one once, into a file of its own. */
    @Override
    public boolean appendOnly()
    {
        return true;
    }
}
