package dev.tracewh.jsonl;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds a byte in an array eight bytes at a time (SWAR): line splitting and escape scanning look at every byte
 * of every file, and a byte-by-byte loop was the reader's largest cost.
 */
public final class ByteScan
{
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private ByteScan() {}

    /** The index of the first {@code value} in {@code bytes[from, to)}, or -1. */
    public static int indexOf(byte[] bytes, byte value, int from, int to)
    {
        long pattern = (value & 0xFFL) * ONES;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i) ^ pattern;
            // the lowest set high bit marks the first zero byte of word, that is the first match
            long matches = (word - ONES) & ~word & HIGH_BITS;
            if (matches != 0) {
                return i + (Long.numberOfTrailingZeros(matches) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
