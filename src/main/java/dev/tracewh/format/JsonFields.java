package dev.tracewh.format;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Lenient accessors for the JSON of session files, where any field may be missing or of another type. */
public final class JsonFields
{
    /** {@code POWERS_OF_TEN[9 - n]} turns a fraction of n digits into nanoseconds. */
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

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
        Instant utc = utcInstant(text);
        if (utc != null) {
            return utc;
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

    /**
     * The shape every agent writes, {@code 2026-03-04T05:06:07.890Z}, parsed by hand: one per line, and
     * {@link Instant#parse} was a tenth of the parse time. Null for any other shape or an invalid date.
     */
    private static Instant utcInstant(String text)
    {
        int length = text.length();
        if (length < 20 || length == 21 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':' || (length > 20 && text.charAt(19) != '.')) {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fraction = length > 20 ? digits(text, 20, length - 1) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || fraction < 0
                || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3_600L + minute * 60L + second;
        // the fraction has length - 21 digits
        int nanos = length > 20 ? fraction * POWERS_OF_TEN[30 - length] : 0;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** The decimal value of text[from, to), or -1 when it holds a non-digit. */
    private static int digits(String text, int from, int to)
    {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
