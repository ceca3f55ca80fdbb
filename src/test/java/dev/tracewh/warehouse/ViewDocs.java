package dev.tracewh.warehouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The views as the documentation describes them: in docs/views.md and docs/distill.md, a heading {@code `v_name`},
 * the view's description in the paragraph below it, then a table of its columns in order with their descriptions.
 * Backticks are Markdown only: the database's comments hold the same words without them.
 */
record ViewDocs(String name, String description, SequencedMap<String, String> columns)
{
    static final List<Path> FILES = List.of(Path.of("docs/views.md"), Path.of("docs/distill.md"));

    private static final Pattern HEADING = Pattern.compile("#{2,3} `(v_\\w+)`");
    private static final Pattern COLUMN = Pattern.compile("\\| `(\\w+)` \\| (.+) \\|");

    ViewDocs
    {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        columns = new LinkedHashMap<>(columns);
    }

    /** Every documented view by name, in the order of the files. */
    static Map<String, ViewDocs> read()
    {
        Map<String, ViewDocs> views = new LinkedHashMap<>();
        for (Path file : FILES) {
            try {
                for (ViewDocs view : parse(file, Files.readAllLines(file))) {
                    if (views.put(view.name(), view) != null) {
                        throw new IllegalStateException(file + ": " + view.name() + " is documented twice");
                    }
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return views;
    }

    private static List<ViewDocs> parse(Path file, List<String> lines)
    {
        List<ViewDocs> views = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            Matcher heading = HEADING.matcher(lines.get(i));
            i++;
            if (!heading.matches()) {
                continue;
            }
            while (i < lines.size() && lines.get(i).isBlank()) {
                i++;
            }
            List<String> paragraph = new ArrayList<>();
            while (i < lines.size() && !lines.get(i).isBlank()) {
                paragraph.add(lines.get(i).strip());
                i++;
            }
            while (i < lines.size() && !lines.get(i).startsWith("|")) {
                i++;
            }
            if (i + 1 >= lines.size() || !lines.get(i).equals("| column | description |") || !lines.get(i + 1).equals("|---|---|")) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": " + heading.group(1) + " has no '| column | description |' table");
            }
            i += 2;
            SequencedMap<String, String> columns = new LinkedHashMap<>();
            while (i < lines.size() && lines.get(i).startsWith("|")) {
                Matcher column = COLUMN.matcher(lines.get(i));
                if (!column.matches()) {
                    throw new IllegalStateException(file + ":" + (i + 1) + ": not a '| `column` | description |' row: " + lines.get(i));
                }
                columns.put(column.group(1), plain(column.group(2)));
                i++;
            }
            views.add(new ViewDocs(heading.group(1), plain(String.join(" ", paragraph)), columns));
        }
        return views;
    }

    private static String plain(String markdown)
    {
        return markdown.replace("`", "");
    }
}
