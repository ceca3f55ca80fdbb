package dev.tracewh.format.claudecode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonFields;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A project's {@code sessions-index.json}: an optional hint (Claude Code stopped maintaining it around 2.1.31)
 * giving the real project path, summary and first prompt per session.
 */
record SessionsIndex(Map<String, Entry> entries)
{
    record Entry(String projectPath, String summary, String customTitle, String firstPrompt) {}

    static final SessionsIndex EMPTY = new SessionsIndex(Map.of());

    SessionsIndex
    {
        entries = Map.copyOf(entries);
    }

    Optional<Entry> find(String sessionId)
    {
        return sessionId == null ? Optional.empty() : Optional.ofNullable(entries.get(sessionId));
    }

    /** The index of the project folder holding {@code transcript}; empty when absent or unreadable. */
    static SessionsIndex forTranscript(Path transcript, ObjectMapper mapper)
    {
        Path projectDir = projectDirectory(transcript);
        Path indexFile = projectDir == null ? null : projectDir.resolve("sessions-index.json");
        if (indexFile == null || !Files.isRegularFile(indexFile)) {
            return EMPTY;
        }
        try {
            JsonNode root = mapper.readTree(indexFile.toFile());
            JsonNode list = root == null ? null : root.get("entries");
            if (list == null || !list.isArray()) {
                return EMPTY;
            }
            Map<String, Entry> entries = new HashMap<>();
            for (JsonNode entry : list) {
                String sessionId = JsonFields.text(entry, "sessionId");
                if (sessionId != null) {
                    entries.put(sessionId, new Entry(
                            JsonFields.nonEmptyText(entry, "projectPath"),
                            JsonFields.nonEmptyText(entry, "summary"),
                            JsonFields.nonEmptyText(entry, "customTitle"),
                            JsonFields.nonEmptyText(entry, "firstPrompt")));
                }
            }
            return new SessionsIndex(entries);
        }
        catch (IOException unreadable) {
            // a broken index is only a missing hint: the transcripts themselves carry cwd
            return EMPTY;
        }
    }

    /** projects/<dir>/x.jsonl and projects/<dir>/<session>/subagents/agent-x.jsonl both belong to <dir>. */
    private static Path projectDirectory(Path transcript)
    {
        Path parent = transcript.toAbsolutePath().getParent();
        while (parent != null && parent.getFileName() != null
                && (parent.getFileName().toString().equals("subagents") || parent.getFileName().toString().equals("workflows"))) {
            parent = parent.getParent() == null ? null : parent.getParent().getParent();
        }
        return parent;
    }
}
