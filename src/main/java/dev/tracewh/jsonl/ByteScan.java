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

    /** The index of the first {@code first} directly followed by {@code second} in {@code bytes[from, to)}, or -1. */
    public static int indexOfPair(byte[] bytes, byte first, byte second, int from, int to)
    {
        long firstPattern = (first & 0xFFL) * ONES;
        long secondPattern = (second & 0xFFL) * ONES;
        int i = from;
        for (; i + Long.BYTES < to; i += Long.BYTES) {
            // a zero byte where bytes[i + k] == first and bytes[i + k + 1] == second
            long word = ((long) LONGS.get(bytes, i) ^ firstPattern) | ((long) LONGS.get(bytes, i + 1) ^ secondPattern);
            long matches = (word - ONES) & ~word & HIGH_BITS;
            if (matches != 0) {
                return i + (Long.numberOfTrailingZeros(matches) >>> 3);
            }
        }
        for (; i + 1 < to; i++) {
            if (bytes[i] == first && bytes[i + 1] == second) {
                return i;
            }
        }
        return -1;
    }
}
