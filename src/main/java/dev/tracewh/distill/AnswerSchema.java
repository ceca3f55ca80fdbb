package dev.tracewh.distill;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Checks an answer against the part of JSON Schema that answer schemas use for structured output (the subset
 * OpenAI's strict mode accepts): {@code type}, {@code properties}, {@code required}, {@code additionalProperties:
 * false}, {@code enum}, {@code items}, {@code minimum}, {@code maximum}. Other keywords are not checked, so a
 * schema stays valid for the endpoint whatever it adds. A library would check more keywords than an answer schema
 * can use; this keeps the dependency list as it is.
 */
final class AnswerSchema
{
    private AnswerSchema() {}

    /** What in {@code answer} does not follow {@code schema}, one line per problem, each with its JSON path. */
    static List<String> problems(JsonNode schema, JsonNode answer)
    {
        requireNonNull(schema, "schema is null");
        requireNonNull(answer, "answer is null");
        List<String> problems = new ArrayList<>();
        check(schema, answer, "$", problems);
        return problems;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> problems)
    {
        JsonNode type = schema.get("type");
        if (type != null && !typeMatches(type, value)) {
            problems.add("%s must be of type %s, found %s".formatted(path, type.isArray() ? type.toString() : type.asText(), describe(value)));
            return;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray()) {
            boolean found = false;
            for (JsonNode option : allowed) {
                found |= option.equals(value);
            }
            if (!found) {
                problems.add("%s must be one of %s, found %s".formatted(path, allowed, value));
            }
        }
        if (value.isNumber()) {
            JsonNode minimum = schema.get("minimum");
            JsonNode maximum = schema.get("maximum");
            if (minimum != null && value.asDouble() < minimum.asDouble()) {
                problems.add("%s must be at least %s, found %s".formatted(path, minimum, value));
            }
            if (maximum != null && value.asDouble() > maximum.asDouble()) {
                problems.add("%s must be at most %s, found %s".formatted(path, maximum, value));
            }
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add("%s lacks the required property %s".formatted(path, required.asText()));
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode propertySchema = properties.get(field.getKey());
                if (propertySchema != null) {
                    check(propertySchema, field.getValue(), path + "." + field.getKey(), problems);
                }
                else if (schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean()) {
                    problems.add("%s has the property %s, which the schema does not allow".formatted(path, field.getKey()));
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int index = 0; index < value.size(); index++) {
                check(schema.get("items"), value.get(index), path + "[" + index + "]", problems);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value)
    {
        if (type.isArray()) {
            for (JsonNode option : type) {
                if (typeMatches(option, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            default -> true;
        };
    }

    private static String describe(JsonNode value)
    {
        return switch (value.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
