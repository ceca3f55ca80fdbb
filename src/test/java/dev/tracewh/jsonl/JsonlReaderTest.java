package dev.tracewh.jsonl;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonlReaderTest
{
    private record Read(List<String> lines, List<Long> numbers, List<Boolean> terminated, long consumed) {}

    @Test
    void checkpointHashesExactlyTheFirstBytesWhereverTheyEnd()
            throws IOException
    {
        String text = "{\"a\":1}\n\n{\"b\":2}\n{\"c\":3}\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int checkpoint = 1; checkpoint <= bytes.length; checkpoint++) {
            JsonlReader reader = new JsonlReader(new ByteArrayInputStream(bytes), JsonlReader.DEFAULT_MAX_LINE_BYTES, checkpoint);
            while (reader.next() != null) {
                // read to the end
            }
            assertEquals(sha256(java.util.Arrays.copyOf(bytes, checkpoint)), reader.checkpointSha256(), "checkpoint " + checkpoint);
        }
        JsonlReader beyond = new JsonlReader(new ByteArrayInputStream(bytes), JsonlReader.DEFAULT_MAX_LINE_BYTES, bytes.length + 1);
        while (beyond.next() != null) {
            // read to the end
        }
        assertEquals(null, beyond.checkpointSha256());
    }

    @Test
    void aLineOverTheLimitIsConsumedButNotKeptAndAnOverlongTailWaits()
            throws IOException
    {
        String longLine = "{\"a\":\"" + "x".repeat(300_000) + "\"}";
        byte[] bytes = ("{\"first\":1}\n" + longLine + "\n{\"last\":2}\n" + longLine).getBytes(StandardCharsets.UTF_8);
        JsonlReader reader = new JsonlReader(new ByteArrayInputStream(bytes), 1_000, 0);
        assertEquals("{\"first\":1}", text(reader.next()));
        Line overlong = reader.next();
        assertTrue(overlong.overlong());
        assertEquals(2, overlong.number());
        assertEquals(longLine.length() + 1, overlong.overlongBytes());
        assertTrue(overlong.length() <= 1024);
        assertEquals("{\"last\":2}", text(reader.next()));
        assertEquals(null, reader.next());
        long terminatedBytes = bytes.length - longLine.length();
        assertEquals(terminatedBytes, reader.consumedBytes());
        assertEquals(sha256(java.util.Arrays.copyOf(bytes, (int) terminatedBytes)), reader.consumedSha256());
    }

    private static String sha256(byte[] bytes)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void splitsOnNewlinesAndCountsLineNumbersIncludingBlankLines()
            throws IOException
    {
        Read read = read("{\"a\":1}\n\n{\"b\":2}\n");
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), read.lines());
        assertEquals(List.of(1L, 3L), read.numbers());
        assertEquals(17, read.consumed());
    }

    @Test
    void stripsCarriageReturnsAndByteOrderMark()
            throws IOException
    {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Read read = read(concat(bom, "{\"a\":1}\r\n{\"b\":2}\r\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), read.lines());
        assertEquals(3 + 18, read.consumed());
    }

    @Test
    void lastLineWithoutNewlineIsUnterminatedAndNotConsumedUntilAccepted()
            throws IOException
    {
        JsonlReader reader = new JsonlReader(stream("{\"a\":1}\n{\"b\""));
        assertTrue(reader.next().terminated());
        Line tail = reader.next();
        assertFalse(tail.terminated());
        assertEquals("{\"b\"", text(tail));
        assertEquals(8, reader.consumedBytes());
        reader.acceptTail();
        assertEquals(12, reader.consumedBytes());
    }

    @Test
    void readsLinesFarLongerThanItsBuffer()
            throws IOException
    {
        String huge = "{\"x\":\"" + "é".repeat(3_000_000) + "\"}";
        Read read = read("{\"a\":1}\n" + huge + "\n{\"b\":2}\n");
        assertEquals(3, read.lines().size());
        assertEquals(huge, read.lines().get(1));
        assertEquals("{\"b\":2}", read.lines().get(2));
    }

    @Test
    void readsFromAStreamThatReturnsOneByteAtATime()
            throws IOException
    {
        byte[] bytes = "{\"a\":1}\r\n\n{\"b\":2}".getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(bytes)
        {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length)
            {
                return super.read(buffer, offset, Math.min(1, length));
            }
        };
        Read read = read(trickle);
        assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), read.lines());
        assertEquals(List.of(true, false), read.terminated());
    }

    @Test
    void emptyStreamHasNoLines()
            throws IOException
    {
        Read read = read("");
        assertTrue(read.lines().isEmpty());
        assertEquals(0, read.consumed());
    }

    @Test
    void hashesExactlyTheConsumedBytes()
            throws IOException, NoSuchAlgorithmException
    {
        JsonlReader reader = new JsonlReader(stream("{\"a\":1}\n{\"b\":2}\n{\"c\""));
        while (reader.next() != null) {
            // drain
        }
        byte[] expected = MessageDigest.getInstance("SHA-256").digest("{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(HexFormat.of().formatHex(expected), reader.consumedSha256());
    }

    private static Read read(String text)
            throws IOException
    {
        return read(stream(text));
    }

    private static Read read(byte[] bytes)
            throws IOException
    {
        return read(new ByteArrayInputStream(bytes));
    }

    private static Read read(InputStream input)
            throws IOException
    {
        JsonlReader reader = new JsonlReader(input);
        List<String> lines = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        List<Boolean> terminated = new ArrayList<>();
        for (Line line = reader.next(); line != null; line = reader.next()) {
            lines.add(text(line));
            numbers.add(line.number());
            terminated.add(line.terminated());
        }
        return new Read(lines, numbers, terminated, reader.consumedBytes());
    }

    private static String text(Line line)
    {
        return new String(line.buffer(), line.offset(), line.length(), StandardCharsets.UTF_8);
    }

    private static InputStream stream(String text)
    {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] first, byte[] second)
    {
        byte[] result = new byte[first.length + second.length];
        System.arraycopy(first, 0, result, 0, first.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }
}
