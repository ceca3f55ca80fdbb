package dev.tracewh.warehouse;

import org.jooq.Field;
import org.jooq.Record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

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

    /** Hash of every field of {@code record} except {@code excluded}, plus {@code extra} strings. */
    String of(Record record, Set<Field<?>> excluded, String... extra)
    {
        for (Field<?> field : record.fields()) {
            if (!excluded.contains(field)) {
                update(record.get(field));
            }
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
