package dev.tracewh.format.atif;

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
 * ATIF trajectories (Harbor / Terminal-Bench and other producers, schema v1.0 to v1.7): one pretty-printed JSON
 * document per file, {@code trajectory.json}, its continuations and summarization sub-agents
 * {@code trajectory.<suffix>.json}, or {@code *.atif.json}. ATIF has no default location: it loads from
 * {@code --path} only.
 */
public final class AtifFormat
        implements TraceFormat
{
    public static final String ID = "atif";

    /** {@code trajectory.json}, {@code trajectory.cont-1.json}, {@code trajectory.summarization-1-summary.json}. */
    private static final Pattern TRAJECTORY_NAME = Pattern.compile("trajectory(?:\\.[^/]+)?\\.json");

    private final ObjectMapper mapper = JsonLines.newMapper();

    @Override
    public String id()
    {
        return ID;
    }

    @Override
    public List<Path> defaultRoots(Environment environment)
    {
        return List.of();
    }

    /**
     * Below a folder, only the names ATIF producers write: a Harbor job folder also holds {@code result.json} and
     * {@code config.json}, which are not trajectories. A file named on {@code --path} is read if it is JSON.
     */
    @Override
    public List<Path> discover(Path root, Consumer<UnreadablePath> unreadable)
            throws IOException
    {
        if (Files.isRegularFile(root)) {
            return root.getFileName().toString().endsWith(".json") ? List.of(root) : List.of();
        }
        return FileTree.find(root, AtifFormat::isTrajectory, unreadable);
    }

    static boolean isTrajectory(Path path)
    {
        String name = path.getFileName().toString();
        return name.endsWith(".atif.json") || TRAJECTORY_NAME.matcher(name).matches();
    }

    /** An ATIF document names its schema version or at least holds steps (and no messages); its keys come in any order, so the head is searched. */
    @Override
    public boolean recognizes(Path file, FileHead head)
    {
        String text = head.text();
        // an Amp thread's tool input may hold a "steps" key; an ATIF document has no "messages"
        return text.contains("\"ATIF-v") || text.contains("\"steps\"") && !text.contains("\"messages\"");
    }

    @Override
    public ParsedFile parse(Path file, InputStream input, ReadOptions options)
            throws IOException
    {
        return new TrajectoryParser(file, mapper, options).parse(input);
    }

    /** A producer rewrites the whole document on every save, so the stored rows follow the file. */
    @Override
    public boolean appendOnly()
    {
        return false;
    }
}
