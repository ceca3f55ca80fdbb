package dev.tracewh.distill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.PathType;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The JSON Schema an LLM judge's answer must follow, compiled once by networknt's validator: draft 2020-12 unless the
 * schema names another with {@code $schema}. Keywords no draft knows, such as this project's {@code
 * x-tracewh-explanation}, are annotations: checked by nothing, and left out of what the endpoint is sent.
 */
public final class AnswerSchema
{
    private static final String EXPLANATION_KEYWORD = "x-tracewh-explanation";

    private final JsonNode json;
    private final Schema validator;

    private AnswerSchema(JsonNode json, Schema validator)
    {
        this.json = json;
        this.validator = validator;
    }

    /**
     * Compiles an answer schema; one that is no object schema, or no valid schema, is refused naming {@code origin}
     * (its file).
     */
    static AnswerSchema of(String origin, JsonNode json)
    {
        requireNonNull(origin, "origin is null");
        requireNonNull(json, "json is null");
        if (!json.path("type").asText().equals("object")) {
            throw new IllegalArgumentException("the answer schema " + origin + " must be of type object");
        }
        // unknown keywords are annotations (the library's default logs a warning for each)
        Dialect dialect = Dialect.builder(Dialects.getDraft202012())
                .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
                .build();
        // English messages whatever the machine's locale: they are sent back to the model
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().locale(Locale.ENGLISH).pathType(PathType.JSON_PATH).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect, builder -> builder.schemaRegistryConfig(config));
        try {
            Schema validator = registry.getSchema(json);
            validator.initializeValidators();
            return new AnswerSchema(json.deepCopy(), validator);
        }
        catch (SchemaException e) {
            throw new IllegalArgumentException("the answer schema " + origin + " is not a valid JSON Schema: " + e.getMessage(), e);
        }
    }

    /** The schema as written. */
    public JsonNode json()
    {
        return json.deepCopy();
    }

    /** The judge's description, from the schema's {@code description}. */
    String description()
    {
        return json.path("description").asText("");
    }

    /** The schema as sent to the endpoint: without this project's own keywords, which strict endpoints refuse. */
    JsonNode forEndpoint()
    {
        JsonNode copy = json.deepCopy();
        removeOwnKeywords(copy);
        return copy;
    }

    /** The property whose text explains the score in {@code property}, as {@code x-tracewh-explanation} names it. */
    Optional<String> explanationOf(String property)
    {
        return Optional.ofNullable(json.path("properties").path(property).path(EXPLANATION_KEYWORD).asText(null));
    }

    /** What in {@code answer} does not follow the schema, one line per problem, each with its JSON path. */
    List<String> problems(JsonNode answer)
    {
        requireNonNull(answer, "answer is null");
        return validator.validate(answer).stream().map(String::valueOf).toList();
    }

    private static void removeOwnKeywords(JsonNode node)
    {
        if (node instanceof ObjectNode object) {
            object.remove(EXPLANATION_KEYWORD);
        }
        node.forEach(AnswerSchema::removeOwnKeywords);
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof AnswerSchema that && json.equals(that.json);
    }

    @Override
    public int hashCode()
    {
        return json.hashCode();
    }

    @Override
    public String toString()
    {
        return json.toString();
    }
}
