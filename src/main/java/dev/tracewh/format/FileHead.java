package dev.tracewh.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * The start of a file, for telling formats apart by content when several of them find the same file (a
 * {@code --path} given without {@code --format}: Claude Code, Codex, Pi and Hermes all write {@code .jsonl}).
 * {@code text} is at most {@link #MAX_BYTES} decoded as UTF-8; {@code firstLine} is its first non-blank line
 * when that is a JSON object, else a missing node (a pretty-printed document starts with a lone brace).
 */
public record FileHead(String text, JsonNode firstLine)
{
    public static final int MAX_BYTES = 64 * 1024;

    public FileHead
    {
        requireNonNull(text, "text is null");
        requireNonNull(firstLine, "firstLine is null");
    }

    public static FileHead read(Path file, ObjectMapper mapper)
            throws IOException
    {
        byte[] bytes;
        try (InputStream input = Files.newInputStream(file)) {
            bytes = input.readNBytes(MAX_BYTES);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return new FileHead(text, firstObject(text, mapper));
    }

    private static JsonNode firstObject(String text, ObjectMapper mapper)
    {
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = mapper.readTree(line);
                return node != null && node.isObject() ? node : MissingNode.getInstance();
            }
            catch (IOException notJsonOrCutShort) {
                return MissingNode.getInstance();
            }
        }
        return MissingNode.getInstance();
    }
}
