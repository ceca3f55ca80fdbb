package dev.tracewh.format.copilot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The session name and summary of {@code workspace.yaml}, beside a session's {@code events.jsonl} (1.0 on); null when
 * absent. Only top-level scalar {@code name:} and {@code summary:} lines are read (no YAML library): a block or
 * multi-line value is left out rather than misread.
 */
record Workspace(String name, String summary)
{
    static final Workspace NONE = new Workspace(null, null);
    static final String FILE = "workspace.yaml";

    static Workspace of(Path log)
    {
        if (!log.getFileName().toString().equals(CopilotFormat.EVENTS)) {
            return NONE;
        }
        Path yaml = log.resolveSibling(FILE);
        if (!Files.isRegularFile(yaml)) {
            return NONE;
        }
        try {
            List<String> lines = Files.readAllLines(yaml, StandardCharsets.UTF_8);
            return new Workspace(scalar(lines, "name"), scalar(lines, "summary"));
        }
        catch (IOException unreadable) {
            // a title is a nicety: the session loads without it
            return NONE;
        }
    }

    private static String scalar(List<String> lines, String key)
    {
        for (String line : lines) {
            if (!line.startsWith(key + ":")) {
                continue;
            }
            String value = line.substring(key.length() + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            else if (value.startsWith("|") || value.startsWith(">") || value.startsWith("\"") || value.startsWith("'")) {
                return null;
            }
            return value.isEmpty() ? null : value;
        }
        return null;
    }
}
