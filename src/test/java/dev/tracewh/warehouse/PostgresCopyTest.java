package dev.tracewh.warehouse;

import dev.tracewh.warehouse.schema.tables.records.MessagesRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.List;

import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The binary COPY encoding of timestamps, which PostgreSQL takes as given. */
class PostgresCopyTest
{
    @Test
    void timestampsAreMicrosecondsSince2000()
    {
        MessagesRecord row = new MessagesRecord();
        row.setCreatedAt(OffsetDateTime.parse("2000-01-01T00:00:01.000002Z"));
        assertEquals(1_000_002L, createdAtField(PostgresCopy.tuples(List.of(row))));
    }

    @Test
    void aTimestampBeyondWhatMicrosecondsHoldFailsInsteadOfWrappingAround()
    {
        MessagesRecord row = new MessagesRecord();
        row.setCreatedAt(OffsetDateTime.parse("+600000-01-01T00:00:00Z"));
        assertThrows(ArithmeticException.class, () -> PostgresCopy.tuples(List.of(row)));
    }

    /** The created_at value of the one tuple: after the field count, each field is its length and its bytes. */
    private static long createdAtField(PostgresCopy.Tuples tuples)
    {
        ByteBuffer tuple = ByteBuffer.wrap(tuples.bytes(), 0, tuples.length());
        tuple.getShort();
        int createdAt = MESSAGES.indexOf(MESSAGES.CREATED_AT);
        for (int i = 0; i < createdAt; i++) {
            int length = tuple.getInt();
            if (length > 0) {
                tuple.position(tuple.position() + length);
            }
        }
        assertEquals(8, tuple.getInt());
        return tuple.getLong();
    }
}
