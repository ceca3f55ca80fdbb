package dev.tracewh.cli;

import org.h2.api.Interval;
import org.jooq.types.DayToSecond;
import org.jooq.types.YearToMonth;
import org.jooq.types.YearToSecond;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CellTextTest
{
    @Test
    void numbersArePlainWithoutTrailingZeros()
    {
        assertEquals("0", CellText.of(new BigDecimal("0E-20")));
        assertEquals("1.5", CellText.of(new BigDecimal("1.500000000")));
        assertEquals("1200", CellText.of(new BigDecimal("1.2E+3")));
        assertEquals("-0.25", CellText.of(new BigDecimal("-0.2500")));
        assertEquals("10000000000", CellText.of(1e10));
        assertEquals("0.0000001", CellText.of(1e-7));
        assertEquals("0.1", CellText.of(0.1f));
        assertEquals("NaN", CellText.of(Double.NaN));
        assertEquals("42", CellText.of(42L));
    }

    @Test
    void timestampsAreIsoWithTheFractionDigitsThatAreNotZero()
    {
        LocalDateTime second = LocalDateTime.of(2026, 1, 5, 10, 0, 7);
        assertEquals("2026-01-05T10:00:07", CellText.of(second));
        assertEquals("2026-01-05T10:00:07.120", CellText.of(second.withNano(120_000_000)));
        assertEquals("2026-01-05T10:00:07.123456", CellText.of(second.withNano(123_456_000)));
        assertEquals("2026-01-05T10:00:07.000001", CellText.of(second.withNano(1_000)));
        assertEquals("2026-01-05T10:00:07.123456789", CellText.of(second.withNano(123_456_789)));
        assertEquals("2026-01-05T10:00:07.500Z", CellText.of(OffsetDateTime.of(second.withNano(500_000_000), ZoneOffset.UTC)));
        assertEquals("2026-01-05T10:00:07+02:00", CellText.of(OffsetDateTime.of(second, ZoneOffset.ofHours(2))));
    }

    @Test
    void tablesCutTimesToMilliseconds()
    {
        LocalDateTime time = LocalDateTime.of(2026, 1, 5, 10, 0, 7, 123_456_789);
        assertEquals("2026-01-05T10:00:07.123", CellText.forTable(time));
        assertEquals("2026-01-05T10:00:07", CellText.forTable(time.withNano(999_999)));
        assertEquals("00:00:01.999", CellText.forTable(new DayToSecond(0, 0, 0, 1, 999_999_999)));
    }

    @Test
    void intervalsAreReadable()
    {
        assertEquals("1 day 02:03:04.500", CellText.of(new DayToSecond(1, 2, 3, 4, 500_000_000)));
        assertEquals("3 days", CellText.of(new DayToSecond(3)));
        assertEquals("00:00:00", CellText.of(new DayToSecond()));
        assertEquals("-1 day 00:00:01", CellText.of(new DayToSecond(1, 0, 0, 1).neg()));
        assertEquals("1 year 2 months", CellText.of(new YearToMonth(1, 2)));
        assertEquals("2 years 1 month 3 days 04:00:00", CellText.of(new YearToSecond(new YearToMonth(2, 1), new DayToSecond(3, 4))));
        assertEquals("01:30:00", CellText.of(Duration.ofMinutes(90)));
        assertEquals("-3 days", CellText.of(Interval.ofDays(-3)));
        assertEquals("-01:30:00", CellText.of(Interval.ofHoursMinutes(-1, -30)));
        assertEquals("1 year 2 months", CellText.of(Interval.ofMonths(14)));
    }

    @Test
    void bytesAreHex()
    {
        assertEquals("\\x00ff", CellText.of(new byte[] {0, (byte) 0xff}));
    }
}
