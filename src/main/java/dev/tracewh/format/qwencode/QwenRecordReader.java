package dev.tracewh.format.qwencode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.UnstorableEscapes;
import dev.tracewh.jsonl.JsonlReader;
import dev.tracewh.jsonl.Line;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads a Qwen Code chat file like {@link JsonLines} does, except that one line may hold several JSON objects written
 * back to back ({@code {...}{...}}): Qwen's own reader accepts them, so each becomes a record of that line. A
 * terminated line that stops parsing keeps the objects before the break and is an issue; an unterminated last line
 * that does not parse is a write in progress, left for the next load. Issues go to {@code lines}.
 */
final class QwenRecordReader
{
    private final ObjectMapper mapper;
    private final ObjectReader treeReader;
    private final JsonLines lines;
    private final ReadOptions options;
    private long consumedBytes;
    private long replacedCharacters;
    private String consumedSha256;
    private String checkpointSha256;

    QwenRecordReader(ObjectMapper mapper, JsonLines lines, ReadOptions options)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.treeReader = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.lines = requireNonNull(lines, "lines is null");
        this.options = requireNonNull(options, "options is null");
    }

    void forEach(InputStream input, JsonLines.Handler handler)
            throws IOException
    {
        JsonlReader reader = new JsonlReader(input, options.maxLineBytes(), options.checkpointBytes());
        for (Line line = reader.next(); line != null; line = reader.next()) {
            if (line.overlong()) {
                lines.issue(line, JsonLines.LINE_TOO_LONG, "line of %,d bytes is longer than the limit of %,d bytes (--max-line-bytes); skipped"
                        .formatted(line.overlongBytes(), options.maxLineBytes()));
                continue;
            }
            List<JsonNode> objects = objects(line);
            if (objects == null) {
                continue;
            }
            if (!line.terminated()) {
                reader.acceptTail();
            }
            for (JsonNode object : objects) {
                handler.accept(object, line);
            }
        }
        consumedBytes = reader.consumedBytes();
        consumedSha256 = reader.consumedSha256();
        checkpointSha256 = reader.checkpointSha256();
    }

    /** The objects of a line, or null for an unterminated line that does not parse (nor is one) yet. */
    private List<JsonNode> objects(Line line)
    {
        byte[] bytes = line.buffer();
        int offset = line.offset();
        int unstorable = UnstorableEscapes.count(bytes, offset, line.length());
        if (unstorable > 0) {
            // a copy: the reader's buffer must keep the file's bytes for the content hash
            bytes = Arrays.copyOfRange(bytes, offset, offset + line.length());
            offset = 0;
            UnstorableEscapes.replace(bytes, offset, line.length());
        }
        List<JsonNode> objects = new ArrayList<>();
        try (JsonParser parser = mapper.getFactory().createParser(bytes, offset, line.length())) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token != JsonToken.START_OBJECT) {
                    lines.issue(line, JsonLines.NOT_AN_OBJECT, "expected a JSON object, found " + token.asString());
                    return objects;
                }
                objects.add(treeReader.readTree(parser));
            }
        }
        catch (JsonProcessingException e) {
            if (!line.terminated()) {
                return null;
            }
            lines.issue(line, JsonLines.INVALID_JSON, e.getOriginalMessage());
            return objects;
        }
        catch (IOException e) {
            lines.issue(line, JsonLines.INVALID_JSON, e.getMessage());
            return objects;
        }
        replacedCharacters += unstorable;
        return objects;
    }

    long consumedBytes()
    {
        return consumedBytes;
    }

    String consumedSha256()
    {
        return consumedSha256;
    }

    String checkpointSha256()
    {
        return checkpointSha256;
    }

    long replacedCharacters()
    {
        return replacedCharacters;
    }
}
