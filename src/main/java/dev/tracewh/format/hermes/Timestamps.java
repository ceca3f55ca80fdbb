package dev.tracewh.format.hermes;

import dev.tracewh.format.LineValues;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import static java.util.Objects.requireNonNull;

/**
 * Hermes writes {@code datetime.now().isoformat()}: local wall-clock time without an offset. Such a time is read in
 * {@code zone} (the loading machine's, by default: the agent's sessions are on the machine that loads them) and the
 * trace says so in {@code source_meta.naive_timestamps_zone}; a time with an offset or {@code Z} (the agent-sessions
 * fixtures) is the instant it names. Epoch seconds (state.db) are instants.
 */
final class Timestamps
{
    private final ZoneId zone;
    private boolean naiveSeen;

    Timestamps(ZoneId zone)
    {
        this.zone = requireNonNull(zone, "zone is null");
    }

    /** The instant of an ISO-8601 text, or null when it is missing, unparseable or outside the storable range. */
    Instant parse(String text)
    {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        }
        catch (DateTimeParseException noOffset) {
            try {
                instant = LocalDateTime.parse(text).atZone(zone).toInstant();
                naiveSeen = true;
            }
            catch (DateTimeParseException unparseable) {
                return null;
            }
        }
        return inRange(instant);
    }

    /** The instant of a REAL epoch-seconds value, or null when outside the storable range. */
    static Instant epochSeconds(Double seconds)
    {
        if (seconds == null || seconds.isNaN() || seconds.isInfinite()) {
            return null;
        }
        double whole = Math.floor(seconds);
        if (whole < LineValues.EARLIEST.getEpochSecond() || whole >= LineValues.END.getEpochSecond()) {
            return null;
        }
        // microseconds: what the warehouse keeps, and more than a double of today's epoch seconds holds exactly
        long micros = Math.round((seconds - whole) * 1_000_000);
        return Instant.ofEpochSecond((long) whole, micros * 1_000);
    }

    private static Instant inRange(Instant instant)
    {
        return instant.isBefore(LineValues.EARLIEST) || !instant.isBefore(LineValues.END) ? null : instant;
    }

    boolean naiveSeen()
    {
        return naiveSeen;
    }

    String zoneId()
    {
        return zone.getId();
    }
}
