package dev.tracewh.format.codex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The answer keys of the synthetic Codex corpora give each session's {@code first_timestamp} as its earliest line
 * timestamp, leaving out {@code session_meta.payload.timestamp}. tracewh starts a trace at that payload timestamp
 * instead (the thread's creation, seconds before Codex writes the first line), so the expected start is read here
 * from the rollout itself, as naively as the tests' other readings.
 */
public final class ThreadCreation
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ThreadCreation() {}

    /** The payload timestamp of the rollout's first session_meta line, else the answer key's first_timestamp. */
    public static Instant expectedStartedAt(Path rollout, JsonNode firstTimestamp)
    {
        Instant created = of(rollout);
        if (created != null) {
            return created;
        }
        return firstTimestamp == null || firstTimestamp.isNull() ? null : Instant.parse(firstTimestamp.textValue());
    }

    /** The payload timestamp of the rollout's first session_meta line, or null when it has none. */
    public static Instant of(Path rollout)
    {
        try {
            for (String row : Files.readString(rollout, StandardCharsets.UTF_8).split("\n")) {
                JsonNode node = readObject(row.replace("\uFEFF", "").strip());
                if (node != null && node.path("type").asText().equals("session_meta")) {
                    JsonNode timestamp = node.path("payload").path("timestamp");
                    return timestamp.isTextual() ? Instant.parse(timestamp.textValue()) : null;
                }
            }
            return null;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readObject(String row)
    {
        try {
            JsonNode node = MAPPER.readTree(row);
            return node != null && node.isObject() ? node : null;
        }
        catch (IOException notJson) {
            return null;
        }
    }
}
