package dev.tracewh.jsonl;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ByteScanTest
{
    @Test
    void findsTheFirstMatchAtEveryPositionOfAWordAndOfTheTail()
    {
        for (int length = 0; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                byte[] bytes = new byte[length];
                Arrays.fill(bytes, (byte) 'x');
                bytes[at] = '\n';
                if (at + 3 < length) {
                    bytes[at + 3] = '\n';
                }
                assertEquals(at, ByteScan.indexOf(bytes, (byte) '\n', 0, length), "length " + length + ", at " + at);
                assertEquals(-1, ByteScan.indexOf(bytes, (byte) '\n', 0, at), "before the match");
            }
        }
    }

    @Test
    void respectsTheRangeAndHighBytes()
    {
        byte[] bytes = "é\n..........\n\u00ff".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(2, ByteScan.indexOf(bytes, (byte) '\n', 0, bytes.length));
        assertEquals(13, ByteScan.indexOf(bytes, (byte) '\n', 3, bytes.length));
        assertEquals(-1, ByteScan.indexOf(bytes, (byte) '\n', 14, bytes.length));
        assertEquals(0, ByteScan.indexOf(bytes, (byte) 0xC3, 0, bytes.length));
        assertEquals(-1, ByteScan.indexOf(bytes, (byte) '\n', 5, 3));
    }

    @Test
    void findsTheFirstPairAtEveryPositionIncludingAcrossWordsAndInTheTail()
    {
        for (int length = 0; length <= 40; length++) {
            for (int at = 0; at + 1 < length; at++) {
                byte[] bytes = new byte[length];
                Arrays.fill(bytes, (byte) 'u');
                // lone firsts before the pair, and a second pair after it
                for (int i = 0; i < at; i += 2) {
                    bytes[i] = '\\';
                    if (i + 1 < at) {
                        bytes[i + 1] = 'x';
                    }
                }
                if (at > 0) {
                    bytes[at - 1] = 'x';
                }
                bytes[at] = '\\';
                if (at + 5 < length) {
                    bytes[at + 4] = '\\';
                }
                assertEquals(at, ByteScan.indexOfPair(bytes, (byte) '\\', (byte) 'u', 0, length), "length " + length + ", at " + at);
                assertEquals(-1, ByteScan.indexOfPair(bytes, (byte) '\\', (byte) 'u', 0, at + 1), "the pair's second byte is out of range");
            }
        }
    }
}
