package dev.tracewh.format;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Lenient accessors for the JSON of session files, where any field may be missing or of another type. */
public final class JsonFields
{
    private JsonFields() {}

    /** The field's text if it is a JSON string, else null. */
    public static String text(JsonNode node, String field)
    {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /** The field's text if it is a non-empty JSON string, else null. */
    public static String nonEmptyText(JsonNode node, String field)
    {
        String text = text(node, field);
        return text == null || text.isEmpty() ? null : text;
    }

    public static boolean isTrue(JsonNode node, String field)
    {
        JsonNode value = node.get(field);
        return value != null && value.isBoolean() && value.booleanValue();
    }

    /** The field as a long if it is an integral number, else 0. */
    public static long longValue(JsonNode node, String field)
    {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.canConvertToLong() ? value.longValue() : 0;
    }

    /** The object at {@code field}, or null when it is missing or not an object. */
    public static JsonNode object(JsonNode node, String field)
    {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isObject() ? value : null;
    }

    /**
     * Parses an ISO-8601 instant; tolerates offsets and a missing zone (taken as UTC). Returns null for
     * anything else, so a bad timestamp never fails a line.
     */
    public static Instant instant(String text)
    {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        }
        catch (DateTimeParseException notInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            }
            catch (DateTimeParseException notOffset) {
                try {
                    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                }
                catch (DateTimeParseException unparseable) {
                    return null;
                }
            }
        }
    }
}
