package dev.tracewh.format;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JsonFieldsTest
{
    @Test
    void parsesUtcInstantsOfEveryFractionLengthAsInstantParseDoes()
    {
        for (String text : new String[] {
                "2026-03-04T05:06:07Z", "2026-03-04T05:06:07.8Z", "2026-03-04T05:06:07.89Z", "2026-03-04T05:06:07.890Z",
                "2026-03-04T05:06:07.890123Z", "2026-03-04T05:06:07.890123456Z", "2024-02-29T23:59:59.999Z", "1999-12-31T00:00:00.000Z"}) {
            assertEquals(Instant.parse(text), JsonFields.instant(text), text);
        }
    }

    @Test
    void fallsBackForOffsetsLocalTimesAndRejectsInvalidDates()
    {
        assertEquals(OffsetDateTime.parse("2026-03-04T05:06:07+02:00").toInstant(), JsonFields.instant("2026-03-04T05:06:07+02:00"));
        assertEquals(Instant.parse("2026-03-04T05:06:07Z"), JsonFields.instant("2026-03-04T05:06:07"));
        assertNull(JsonFields.instant("2026-02-30T05:06:07Z"));
        assertNull(JsonFields.instant("2026-13-04T05:06:07Z"));
        assertNull(JsonFields.instant("2026-03-04T24:06:07Z"));
        assertNull(JsonFields.instant("2026-03-04T05:06:07.1234567890Z"));
        assertNull(JsonFields.instant("yesterday"));
        assertNull(JsonFields.instant(""));
    }
}
