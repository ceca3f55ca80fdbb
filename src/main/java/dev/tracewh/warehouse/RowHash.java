package dev.tracewh.warehouse;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A 128-bit hash of a row's stored values, so a reload can tell an unchanged row from a changed one without
 * comparing columns in SQL (where text, JSON and timestamps compare differently on H2 and PostgreSQL). It only
 * detects change, so it needs no cryptographic strength: MurmurHash3's x64 128-bit mixing over the values'
 * UTF-16 code units hashes several times faster than SHA-256 over their UTF-8 encoding, which was a fifth of
 * the parser threads' time. One instance serves one thread at a time.
 */
final class RowHash
{
    private static final int CHUNK_CHARS = 8192;
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    /**
     * Chunk characters, after up to 7 carried over from the previous chunk. Every value is whole UTF-16 code
     * units, so the 16-byte blocks of the hashed little-endian byte stream are 8 characters here.
     */
    private final char[] chars = new char[CHUNK_CHARS + 8];
    private int pending;
    private long length;
    private long h1;
    private long h2;

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

    /** Hash of the {@code columns} of {@code record}, plus {@code extra} strings, as 32 hex digits. */
    String of(Record record, Columns columns, String... extra)
    {
        pending = 0;
        length = 0;
        h1 = 0;
        h2 = 0;
        for (int index : columns.indexes) {
            update(record.get(index));
        }
        for (String value : extra) {
            update(value);
        }
        return finish();
    }

    /** A value as a null flag, or its length and its UTF-16 code units: no UTF-8 encoding, no allocation. */
    private void update(Object value)
    {
        if (value == null) {
            append((char) 0);
            return;
        }
        String text = value.toString();
        append((char) 1);
        append((char) (text.length() >>> 16));
        append((char) text.length());
        for (int from = 0; from < text.length(); ) {
            int to = Math.min(text.length(), from + CHUNK_CHARS);
            text.getChars(from, to, chars, pending);
            pending += to - from;
            mixBlocks();
            from = to;
        }
    }

    private void append(char value)
    {
        chars[pending++] = value;
        if (pending == 8) {
            mixBlocks();
        }
    }

    /** Mixes every whole block of 8 characters and carries the rest to the start. */
    private void mixBlocks()
    {
        int blocks = pending / 8;
        for (int block = 0; block < blocks; block++) {
            mix(littleEndian(block * 8), littleEndian(block * 8 + 4));
        }
        int consumed = blocks * 8;
        System.arraycopy(chars, consumed, chars, 0, pending - consumed);
        pending -= consumed;
        length += 2L * consumed;
    }

    /** Four characters as the long their UTF-16LE bytes make. */
    private long littleEndian(int index)
    {
        return chars[index] | (long) chars[index + 1] << 16 | (long) chars[index + 2] << 32 | (long) chars[index + 3] << 48;
    }

    private void mix(long k1, long k2)
    {
        h1 ^= Long.rotateLeft(k1 * C1, 31) * C2;
        h1 = (Long.rotateLeft(h1, 27) + h2) * 5 + 0x52dce729;
        h2 ^= Long.rotateLeft(k2 * C2, 33) * C1;
        h2 = (Long.rotateLeft(h2, 31) + h1) * 5 + 0x38495ab5;
    }

    private String finish()
    {
        // the tail (under 8 characters) padded with zeros: the length below tells it from real zeros
        Arrays.fill(chars, pending, 8, (char) 0);
        long tail1 = littleEndian(0);
        long tail2 = littleEndian(4);
        h1 ^= Long.rotateLeft(tail1 * C1, 31) * C2;
        h2 ^= Long.rotateLeft(tail2 * C2, 33) * C1;
        long total = length + 2L * pending;
        h1 ^= total;
        h2 ^= total;
        h1 += h2;
        h2 += h1;
        h1 = finalMix(h1);
        h2 = finalMix(h2);
        h1 += h2;
        h2 += h1;
        return HexFormat.of().toHexDigits(h1) + HexFormat.of().toHexDigits(h2);
    }

    private static long finalMix(long value)
    {
        long mixed = value;
        mixed ^= mixed >>> 33;
        mixed *= 0xff51afd7ed558ccdL;
        mixed ^= mixed >>> 33;
        mixed *= 0xc4ceb9fe1a85ec53L;
        mixed ^= mixed >>> 33;
        return mixed;
    }
}
