package dev.tracewh.cli;

import org.jooq.types.DayToSecond;
import org.jooq.types.YearToMonth;
import org.jooq.types.YearToSecond;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.HexFormat;

/**
 * How a value prints in a table and in CSV (JSON writes numbers and booleans as such): numbers in plain notation
 * without trailing zeros ({@code 0} for {@code 0E-20}, {@code 1.5} for {@code 1.500000000}), timestamps as ISO 8601
 * with only the fraction digits that are not zero, in groups of three (seconds, milliseconds, microseconds or
 * nanoseconds; in a table at most milliseconds), intervals as {@code [N years ][N months ][N days ]HH:MM:SS[.fff]}, bytes as {@code \x} and hex.
 * Null is the caller's to print.
 */
final class CellText
{
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private CellText() {}

    /** Without losing anything: CSV and JSON. */
    static String of(Object value)
    {
        return of(value, 9);
    }

    /** For a person: a time's fraction is cut to milliseconds. */
    static String forTable(Object value)
    {
        return of(value, 3);
    }

    private static String of(Object value, int fractionDigits)
    {
        return switch (value) {
            case BigDecimal decimal -> plain(decimal);
            case Double number -> Double.isFinite(number) ? plain(new BigDecimal(Double.toString(number))) : number.toString();
            case Float number -> Float.isFinite(number) ? plain(new BigDecimal(Float.toString(number))) : number.toString();
            case OffsetDateTime timestamp -> timestamp(timestamp.toLocalDateTime(), timestamp.getNano(), fractionDigits) + offset(timestamp.getOffset());
            case LocalDateTime timestamp -> timestamp(timestamp, timestamp.getNano(), fractionDigits);
            case Instant instant -> of(instant.atOffset(ZoneOffset.UTC), fractionDigits);
            case java.sql.Timestamp timestamp -> of(timestamp.toLocalDateTime(), fractionDigits);
            case OffsetTime time -> timestamp(time.toLocalTime(), time.getNano(), fractionDigits) + offset(time.getOffset());
            case LocalTime time -> timestamp(time, time.getNano(), fractionDigits);
            case YearToSecond interval -> interval(interval.getYearToMonth(), interval.getDayToSecond(), fractionDigits);
            case DayToSecond interval -> interval(null, interval, fractionDigits);
            case YearToMonth interval -> interval(interval, null, fractionDigits);
            case Duration duration -> interval(null, DayToSecond.valueOf(duration), fractionDigits);
            case Period period -> interval(new YearToMonth(period.getYears(), period.getMonths()), new DayToSecond(period.getDays()), fractionDigits);
            case org.h2.api.Interval interval -> h2Interval(interval, fractionDigits);
            case byte[] bytes -> "\\x" + HexFormat.of().formatHex(bytes);
            default -> value.toString();
        };
    }

    static String plain(BigDecimal decimal)
    {
        return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
    }

    private static String timestamp(TemporalAccessor time, int nanos, int fractionDigits)
    {
        String seconds = (time instanceof LocalDateTime ? DATE_TIME : TIME).format(time);
        return seconds + fraction(nanos, fractionDigits);
    }

    private static String offset(ZoneOffset offset)
    {
        return offset.equals(ZoneOffset.UTC) ? "Z" : offset.getId();
    }

    /**
     * {@code .123}, {@code .123456} or {@code .123456789}: as many groups of three digits as are not zero, at most
     * {@code maxDigits} (the rest is cut, not rounded, so that a time never moves to the next second).
     */
    private static String fraction(int nanos, int maxDigits)
    {
        String digits = String.format("%09d", nanos).substring(0, maxDigits);
        if (Integer.parseInt(digits) == 0) {
            return "";
        }
        int length = digits.length() > 6 && digits.endsWith("000") ? 6 : digits.length();
        length = length > 3 && digits.substring(3, length).chars().allMatch(c -> c == '0') ? 3 : length;
        return "." + digits.substring(0, length);
    }

    /** The sign once, in front: {@code -1 day 00:00:01}. */
    private static String interval(YearToMonth yearToMonth, DayToSecond dayToSecond, int fractionDigits)
    {
        boolean negative = yearToMonth != null && yearToMonth.getSign() < 0 || dayToSecond != null && dayToSecond.getSign() < 0;
        StringBuilder text = new StringBuilder(negative ? "-" : "");
        if (yearToMonth != null) {
            unit(text, yearToMonth.getYears(), "year");
            unit(text, yearToMonth.getMonths(), "month");
        }
        int lengthBeforeTime = text.length();
        if (dayToSecond != null) {
            unit(text, dayToSecond.getDays(), "day");
            if (dayToSecond.getHours() != 0 || dayToSecond.getMinutes() != 0 || dayToSecond.getSeconds() != 0 || dayToSecond.getNano() != 0) {
                text.append(String.format("%02d:%02d:%02d", dayToSecond.getHours(), dayToSecond.getMinutes(), dayToSecond.getSeconds()))
                        .append(fraction(dayToSecond.getNano(), fractionDigits));
            }
        }
        if (text.length() == lengthBeforeTime && lengthBeforeTime <= 1) {
            return "00:00:00";
        }
        return text.toString().strip();
    }

    private static void unit(StringBuilder text, int count, String unit)
    {
        if (count != 0) {
            text.append(count).append(' ').append(unit).append(count == 1 ? "" : "s").append(' ');
        }
    }

    /** H2's intervals that jOOQ does not read as its own (INTERVAL DAY, INTERVAL HOUR TO MINUTE...); their parts carry the sign. */
    private static String h2Interval(org.h2.api.Interval interval, int fractionDigits)
    {
        boolean negative = interval.getLeading() < 0 || interval.getRemaining() < 0 || interval.getYears() < 0 || interval.getMonths() < 0
                || interval.getDays() < 0 || interval.getHours() < 0 || interval.getMinutes() < 0 || interval.getSeconds() < 0 || interval.getNanosOfSecond() < 0;
        if (interval.getQualifier().isYearMonth()) {
            YearToMonth yearToMonth = new YearToMonth((int) Math.abs(interval.getYears()), (int) Math.abs(interval.getMonths()));
            return interval(negative ? yearToMonth.neg() : yearToMonth, null, fractionDigits);
        }
        DayToSecond dayToSecond = new DayToSecond((int) Math.abs(interval.getDays()), (int) Math.abs(interval.getHours()), (int) Math.abs(interval.getMinutes()),
                (int) Math.abs(interval.getSeconds()), (int) Math.abs(interval.getNanosOfSecond()));
        return interval(null, negative ? dayToSecond.neg() : dayToSecond, fractionDigits);
    }
}
