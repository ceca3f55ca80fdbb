package dev.tracewh.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Copies of the synthetic Claude Code corpus with fresh session ids, for loads long enough to act on mid-way. */
public final class ReplicatedCorpus
{
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private ReplicatedCorpus() {}

    /** Writes {@code copies} copies below {@code target}, each with its own ids in paths and contents alike. */
    public static Path write(Path target, int copies)
            throws IOException
    {
        Path source = SharedFixtures.path("synthetic/claude_code/projects");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (int copy = 0; copy < copies; copy++) {
            for (Path file : files) {
                Path destination = target.resolve("copy-" + copy).resolve(renamed(source.relativize(file).toString(), copy));
                Files.createDirectories(destination.getParent());
                Files.writeString(destination, renamed(Files.readString(file), copy));
            }
        }
        return target;
    }

    /** Gives every UUID a copy-specific first group, consistently in paths and contents. */
    private static String renamed(String text, int copy)
    {
        Matcher matcher = UUID.matcher(text);
        StringBuilder result = new StringBuilder(text.length());
        while (matcher.find()) {
            matcher.appendReplacement(result, String.format("%08x", copy) + matcher.group().substring(8));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
