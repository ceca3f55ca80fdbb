package dev.tracewh.format;

import dev.tracewh.jsonl.ByteScan;

/**
 * Finds the JSON escapes of characters a warehouse cannot store, on the raw bytes of a line: {@code \u0000}
 * (PostgreSQL text rejects NUL) and lone surrogates such as {@code \ud83d} (not encodable as UTF-8). Replacing
 * them by {@code \ufffd} keeps the line's length, so it is done on the bytes before parsing, once per line,
 * instead of on every string afterwards. Valid surrogate pairs and escaped backslashes are left alone.
 */
public final class UnstorableEscapes
{
    private static final byte[] REPLACEMENT = {'f', 'f', 'f', 'd'};

    private UnstorableEscapes() {}

    /** How many unstorable escapes the bytes hold. */
    public static int count(byte[] bytes, int offset, int length)
    {
        return scan(bytes, offset, length, false);
    }

    /** Replaces every unstorable escape by {@code \ufffd} in place and returns how many there were. */
    public static int replace(byte[] bytes, int offset, int length)
    {
        return scan(bytes, offset, length, true);
    }

    private static int scan(byte[] bytes, int offset, int length, boolean replace)
    {
        int end = offset + length;
        int found = 0;
        int i = offset;
        while (true) {
            // only backslash-u escapes can be unstorable; the common ones (newline, quote, backslash) are skipped eight bytes at a time
            i = ByteScan.indexOfPair(bytes, (byte) '\\', (byte) 'u', i, end);
            if (i < 0) {
                return found;
            }
            if (isEscaped(bytes, offset, i)) {
                // the text holds a backslash followed by u, not an escape
                i += 2;
                continue;
            }
            if (i + 5 >= end) {
                return found;
            }
            int code = hex4(bytes, i + 2);
            boolean unstorable;
            if (Character.isHighSurrogate((char) code)) {
                boolean paired = i + 11 < end && bytes[i + 6] == '\\' && bytes[i + 7] == 'u'
                        && Character.isLowSurrogate((char) hex4(bytes, i + 8));
                if (paired) {
                    i += 12;
                    continue;
                }
                unstorable = true;
            }
            else {
                unstorable = code == 0 || Character.isLowSurrogate((char) code);
            }
            if (unstorable) {
                found++;
                if (replace) {
                    System.arraycopy(REPLACEMENT, 0, bytes, i + 2, 4);
                }
            }
            i += 6;
        }
    }

    /** Whether the backslash at {@code index} is itself escaped: an odd number of backslashes precedes it. */
    private static boolean isEscaped(byte[] bytes, int offset, int index)
    {
        int backslashes = 0;
        for (int i = index - 1; i >= offset && bytes[i] == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** The value of four hex digits, or -1 when they are not hex (then the JSON parser reports the line). */
    private static int hex4(byte[] bytes, int offset)
    {
        int value = 0;
        for (int i = offset; i < offset + 4; i++) {
            int digit = Character.digit(bytes[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
