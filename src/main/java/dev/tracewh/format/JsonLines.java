package dev.tracewh.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.jsonl.JsonlReader;
import dev.tracewh.jsonl.Line;
import dev.tracewh.model.ParseIssue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Reads a JSON-lines file as objects for a format's parser and keeps the lines that are not JSON objects as
 * issues. A last line without its newline that does not parse is a write in progress, not an error: it stays
 * unconsumed so the next load reads it again. JSON escapes of characters no warehouse can store (U+0000,
 * lone surrogates) become U+FFFD before parsing, and are counted. Top-level fields a format never reads can be
 * skipped: their values are checked by the tokenizer but never become trees. One instance reads one file.
 */
public final class JsonLines
{
    public static final String INVALID_JSON = "invalid_json";
    public static final String NOT_AN_OBJECT = "not_an_object";
    public static final String UNEXPECTED_SHAPE = "unexpected_shape";
    public static final String LINE_TOO_LONG = "line_too_long";

    /** Receives each line that is a JSON object. */
    @FunctionalInterface
    public interface Handler
    {
        void accept(JsonNode node, Line line);
    }

    /** Bound to the tree type once: {@code ObjectMapper.readTree} resolves it again for every line. */
    private final ObjectReader treeReader;
    /** Reads one value of a line being parsed field by field; the line's end is checked once, after its last field. */
    private final ObjectReader valueReader;
    private final JsonFactory factory;
    private final JsonNodeFactory nodes;
    private final Set<String> skippedFields;
    private final ReadOptions options;
    private final List<ParseIssue> issues = new ArrayList<>();
    private long consumedBytes;
    private long replacedCharacters;
    private String consumedSha256;
    private String checkpointSha256;

    /** A mapper for session lines: no size limits (tool outputs of many megabytes), no trailing garbage. */
    public static ObjectMapper newMapper()
    {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxDocumentLength(-1)
                        .build())
                .build();
        return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public JsonLines(ObjectMapper mapper, ReadOptions options)
    {
        this(mapper, Set.of(), options);
    }

    /** Lines whose top-level {@code skippedFields} are left out of the objects handed to the parser. */
    public JsonLines(ObjectMapper mapper, Set<String> skippedFields, ReadOptions options)
    {
        this.options = requireNonNull(options, "options is null");
        requireNonNull(mapper, "mapper is null");
        this.treeReader = mapper.readerFor(JsonNode.class);
        this.valueReader = treeReader.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.factory = mapper.getFactory();
        this.nodes = mapper.getNodeFactory();
        this.skippedFields = Set.copyOf(requireNonNull(skippedFields, "skippedFields is null"));
    }

    public void forEach(InputStream input, Handler handler)
            throws IOException
    {
        JsonlReader reader = new JsonlReader(input, options.maxLineBytes(), options.checkpointBytes());
        for (Line line = reader.next(); line != null; line = reader.next()) {
            if (line.overlong()) {
                issue(line, LINE_TOO_LONG, "line of %,d bytes is longer than the limit of %,d bytes (--max-line-bytes); skipped"
                        .formatted(line.overlongBytes(), options.maxLineBytes()));
                continue;
            }
            JsonNode node = readObject(line);
            if (node != null) {
                if (!line.terminated()) {
                    reader.acceptTail();
                }
                handler.accept(node, line);
            }
        }
        consumedBytes = reader.consumedBytes();
        consumedSha256 = reader.consumedSha256();
        checkpointSha256 = reader.checkpointSha256();
    }

    private JsonNode readObject(Line line)
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
        JsonNode node;
        try {
            node = skippedFields.isEmpty() ? treeReader.readTree(bytes, offset, line.length()) : readSkipping(bytes, offset, line.length());
            replacedCharacters += unstorable;
        }
        catch (JsonProcessingException e) {
            if (line.terminated()) {
                issue(line, INVALID_JSON, e.getOriginalMessage());
            }
            return null;
        }
        catch (IOException e) {
            issue(line, INVALID_JSON, e.getMessage());
            return null;
        }
        if (node == null || !node.isObject()) {
            String found = node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
            issue(line, NOT_AN_OBJECT, "expected a JSON object, found " + found);
            return null;
        }
        return node;
    }

    /**
     * Builds a line's object field by field, skipping the values of {@link #skippedFields}. Scalars become nodes
     * here; objects and arrays are read by Jackson, so every value kept is the node {@code readTree} would make.
     * A line that is not an object is read whole, as without skipping.
     */
    private JsonNode readSkipping(byte[] bytes, int offset, int length)
            throws IOException
    {
        try (JsonParser parser = factory.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return treeReader.readTree(bytes, offset, length);
            }
            ObjectNode object = nodes.objectNode();
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if (skippedFields.contains(name)) {
                    parser.skipChildren();
                    continue;
                }
                object.set(name, switch (token) {
                    case VALUE_STRING -> nodes.textNode(parser.getText());
                    case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(token == JsonToken.VALUE_TRUE);
                    case VALUE_NULL -> nodes.nullNode();
                    default -> valueReader.readTree(parser);
                });
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(parser, "trailing token (" + trailing + ") after the line's object");
            }
            return object;
        }
    }

    /** Records a line the parser could not use. */
    public void issue(Line line, String errorClass, String message)
    {
        issues.add(new ParseIssue(line.number(), errorClass, message, options.excerpt().apply(line.excerpt(ParseIssue.EXCERPT_WINDOW_CHARS))));
    }

    public List<ParseIssue> issues()
    {
        return issues;
    }

    public long consumedBytes()
    {
        return consumedBytes;
    }

    public String consumedSha256()
    {
        return consumedSha256;
    }

    /** See {@link dev.tracewh.model.ParsedFile#checkpointSha256()}. */
    public String checkpointSha256()
    {
        return checkpointSha256;
    }

    /** How many U+0000 and lone surrogates (as JSON escapes) were replaced by U+FFFD. */
    public long replacedCharacters()
    {
        return replacedCharacters;
    }
}
