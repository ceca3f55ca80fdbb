package dev.tracewh.format.amp;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Amp (Sourcegraph) threads: one JSON document per thread, {@code threads/T-<uuid>.json} in Amp's data folder,
 * rewritten whole as the thread grows. The data folder is {@code $AMP_DATA_DIR} (a comma-separated list) or
 * {@code ~/.local/share/amp}, on macOS too; Amp documents no Windows location.
 */
public final class AmpFormat
        implements TraceFormat
{
    public static final String ID = "amp";

    private static final Pattern THREAD_NAME = Pattern.compile("T-[^/]+\\.json");
    /** A thread's id, {@code "id": "T-…"}, or its integer message ids; ATIF and Hermes snapshots have neither. */
    private static final Pattern THREAD_CONTENT = Pattern.compile("\"id\"\\s*:\\s*\"T-|\"messageId\"\\s*:\\s*\\d|\"usageLedger\"");

    private final ObjectMapper mapper = JsonLines.newMapper();

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public List<Path> defaultRoots(Environment environment)
    {
        List<Path> dataDirs = environment.folders("AMP_DATA_DIR").orElseGet(() -> List.of(environment.home().resolve(".local/share/amp")));
        return dataDirs.stream().map(dataDir -> dataDir.resolve("threads")).toList();
    }

    /** Below a folder, only thread files ({@code T-*.json}); a file named on {@code --path} is read if it is JSON. */
    @Override
    public List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException
    {
        if (Files.isRegularFile(root)) {
            return root.getFileName().toString().endsWith(".json") ? List.of(root) : List.of();
        }
        return FileTree.find(root, AmpFormat::isThread, unreadable);
    }

    static boolean isThread(Path path)
    {
        return THREAD_NAME.matcher(path.getFileName().toString()).matches();
    }

    @Override
    public boolean recognizes(Path file, FileHead head)
    {
        return head.text().contains("\"messages\"") && THREAD_CONTENT.matcher(head.text()).find()
                || isThread(file) && head.text().stripLeading().startsWith("{");
    }

    @Override
    public ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        return new ThreadParser(file, mapper, options).parse(input);
    }

    /** Amp rewrites the whole thread on every save, so the stored rows follow the file. */
    @Override
    public boolean appendOnly()
    {
        return false;
    }
}
