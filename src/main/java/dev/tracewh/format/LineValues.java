package dev.tracewh.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracewh.jsonl.Line;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * The values of a line that must lie in a range to be stored: timestamps and token counts. A value outside its
 * range is an issue on its line naming the field and the value, and is not used; the rest of the line is. So such a
 * value never fails its file, never becomes a silent zero, and is stored alike on H2 and PostgreSQL.
 */
public final class LineValues
{
    public static final String OUT_OF_RANGE = "out_of_range";
    public static final String INVALID_COUNT = "invalid_count";
    /**
     * Timestamps from {@code EARLIEST} up to, not including, {@code END}: agents postdate 1970, PostgreSQL holds no
     * year past 294276 (and the binary COPY encoding wraps past it), and H2 stores negative years that no export
     * can then read back.
     */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");
    /**
     * The largest token count: 10^11, 50,000 times the largest context window (2 million tokens) and far above a
     * long Codex session's cumulative totals, yet small enough that a response's four counts added up, and such
     * totals summed over 20 million responses, stay within a bigint (a Long.MAX_VALUE count overflowed them).
     */
    public static final long MAX_COUNT = 100_000_000_000L;
    /** How much of a value an issue's message quotes. */
    private static final int SHOWN_CHARS = 64;

    private final JsonLines lines;

    public LineValues(JsonLines lines)
    {
        this.lines = requireNonNull(lines, "lines is null");
    }

    /**
     * The field's instant as {@link JsonFields#instant} reads it, or null; an instant outside {@link #EARLIEST} ..
     * {@link #END} is null and an issue on the line.
     */
    public Instant timestamp(JsonNode node, String field, Line line)
    {
        String text = JsonFields.text(node, field);
        Instant instant = JsonFields.instant(text);
        if (instant != null && (instant.isBefore(EARLIEST) || !instant.isBefore(END))) {
            lines.issue(line, OUT_OF_RANGE, field + " " + shown(text) + " is outside 1970-01-01..9999-12-31: stored as null");
            return null;
        }
        return instant;
    }

    /**
     * Whether each of {@code fields} of {@code node} is a token count (a JSON integer from 0 to {@link #MAX_COUNT}) or
     * absent (missing or null, which counts as 0). Each one that is not is an issue on the line; a null node has no
     * counts to check.
     */
    public boolean areCounts(JsonNode node, Line line, String... fields)
    {
        if (node == null) {
            return true;
        }
        boolean valid = true;
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull() && !isCount(value)) {
                lines.issue(line, INVALID_COUNT, field + " " + shown(value.toString()) + " is not a token count (an integer from 0 to "
                        + MAX_COUNT + "): the response's usage is left out");
                valid = false;
            }
        }
        return valid;
    }

    private static boolean isCount(JsonNode value)
    {
        return value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0 && value.longValue() <= MAX_COUNT;
    }

    private static String shown(String value)
    {
        return value.length() <= SHOWN_CHARS ? value : value.substring(0, SHOWN_CHARS) + "…";
    }
}
