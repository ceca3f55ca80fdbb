package dev.tracewh.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracewh.jsonl.Line;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * The values of a line that must lie in a range to be stored: timestamps. A value outside its range is an issue on
 * its line naming the field and the value, and is not used; the rest of the line is. So such a value never fails
 * its file and is stored alike on H2 and PostgreSQL.
 */
public final class LineValues
{
    public static final String OUT_OF_RANGE = "out_of_range";
    /**
     * Timestamps from {@code EARLIEST} up to, not including, {@code END}: agents postdate 1970, PostgreSQL holds no
     * year past 294276 (and the binary COPY encoding wraps past it), and H2 stores negative years that no export
     * can then read back.
     */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");
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

    private static String shown(String value)
    {
        return value.length() <= SHOWN_CHARS ? value : value.substring(0, SHOWN_CHARS) + "…";
    }
}
