package dev.tracewh.warehouse;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * SHA-256 over a row's stored values, so a reload can tell an unchanged row from a changed one without
 * comparing columns in SQL (where text, JSON and timestamps compare differently on H2 and PostgreSQL).
 */
final class RowHash
{
    private final MessageDigest digest;

    RowHash()
    {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The columns of a table that its row hash covers: all but the hash itself and the load bookkeeping. */
    static final class Columns
    {
        private final int[] indexes;

        private Columns(int[] indexes)
        {
            this.indexes = indexes;
        }

        static Columns allBut(Table<?> table, Field<?>... excluded)
        {
            Set<Field<?>> skipped = Set.of(excluded);
            Field<?>[] fields = table.fields();
            return new Columns(IntStream.range(0, fields.length).filter(i -> !skipped.contains(fields[i])).toArray());
        }
    }

    /** Hash of the {@code columns} of {@code record}, plus {@code extra} strings; the digest is reset after. */
    String of(Record record, Columns columns, String... extra)
    {
        for (int index : columns.indexes) {
            update(record.get(index));
        }
        for (String value : extra) {
            update(value);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private void update(Object value)
    {
        if (value == null) {
            digest.update((byte) 0);
        }
        else {
            digest.update((byte) 1);
            digest.update(value.toString().getBytes(StandardCharsets.UTF_8));
        }
        digest.update((byte) 0x1F);
    }
}
