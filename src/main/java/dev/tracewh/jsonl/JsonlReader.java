package dev.tracewh.jsonl;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * Splits a stream into JSON lines as bytes, without decoding to Strings (Jackson parses UTF-8 bytes twice as
 * fast). Skips a UTF-8 byte order mark, strips CR before LF and passes over blank lines. Keeps a SHA-256 of the
 * bytes consumed so far: every terminated line, plus the final unterminated one only when the caller
 * {@linkplain #acceptTail() accepts} it as complete.
 * <p>
 * A line longer than {@code maxLineBytes} is consumed without being kept (one such line would otherwise take the
 * whole heap): it comes back {@linkplain Line#overlong() overlong}, holding only its first bytes. The reader can
 * also hash the stream's first {@code checkpointBytes} on the way, so a caller can check that a file still starts
 * with what an earlier read consumed, at no extra cost.
 */
public final class JsonlReader
{
    /** Far above real session lines (the longest seen are about 1.3 MB), small enough that two parser threads holding one each fit a 512 MB heap. */
    public static final long DEFAULT_MAX_LINE_BYTES = 32L << 20;

    private static final int INITIAL_BUFFER = 64 * 1024;
    private static final int OVERLONG_EXCERPT_BYTES = 1024;

    private final InputStream input;
    private final long maxLineBytes;
    private final long checkpointBytes;
    private MessageDigest digest;
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int start;
    private int end;
    private boolean eof;
    private boolean bomChecked;
    private long bufferStartOffset;
    private long lineNumber;
    private long consumedBytes;
    private String checkpointSha256;
    private Line pendingTail;

    public JsonlReader(InputStream input)
    {
        this(input, DEFAULT_MAX_LINE_BYTES, 0);
    }

    /**
     * @param maxLineBytes the longest line kept
     * @param checkpointBytes how many bytes from the stream's start {@link #checkpointSha256()} hashes; 0 for none
     */
    public JsonlReader(InputStream input, long maxLineBytes, long checkpointBytes)
    {
        this.input = requireNonNull(input, "input is null");
        if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 8 || checkpointBytes < 0) {
            throw new IllegalArgumentException("maxLineBytes must be 1 to 2 GB and checkpointBytes not negative: " + maxLineBytes + ", " + checkpointBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.checkpointBytes = checkpointBytes;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next non-blank line, or null at the end of the stream. */
    public Line next()
            throws IOException
    {
        while (true) {
            Line line = nextRaw();
            if (line == null || !isBlank(line)) {
                return line;
            }
        }
    }

    private Line nextRaw()
            throws IOException
    {
        if (!bomChecked) {
            while (!eof && end < 3) {
                fill();
            }
            skipByteOrderMark();
        }
        int scanFrom = start;
        while (true) {
            int newline = ByteScan.indexOf(buffer, (byte) '\n', scanFrom, end);
            if (newline >= 0) {
                return newline - start > maxLineBytes ? skipOverlong() : emit(newline, true);
            }
            if (eof) {
                return start == end ? null : emit(end, false);
            }
            if (end - start > maxLineBytes) {
                return skipOverlong();
            }
            int scanned = end - start;
            fill();
            scanFrom = start + scanned;
        }
    }

    private Line emit(int lineEnd, boolean terminated)
    {
        int length = lineEnd - start;
        if (length > 0 && buffer[lineEnd - 1] == '\r') {
            length--;
        }
        lineNumber++;
        long startOffset = bufferStartOffset + start;
        Line line = new Line(buffer, start, length, lineNumber, startOffset, terminated, 0);
        int next = terminated ? lineEnd + 1 : lineEnd;
        if (terminated) {
            consume(buffer, start, next - start);
        }
        else {
            pendingTail = line;
        }
        start = next;
        return line;
    }

    /**
     * Consumes a line longer than the limit up to its newline, hashing it on the way but keeping only an excerpt.
     * An overlong last line without a newline is a write in progress: it is left unconsumed, as a shorter one would be.
     */
    private Line skipOverlong()
            throws IOException
    {
        MessageDigest digestBefore = cloneDigest();
        long consumedBefore = consumedBytes;
        String checkpointBefore = checkpointSha256;
        long lineStart = bufferStartOffset + start;
        byte[] excerpt = Arrays.copyOfRange(buffer, start, start + Math.min(end - start, OVERLONG_EXCERPT_BYTES));
        while (true) {
            int newline = ByteScan.indexOf(buffer, (byte) '\n', start, end);
            int upTo = newline >= 0 ? newline + 1 : end;
            consume(buffer, start, upTo - start);
            start = upTo;
            if (newline >= 0) {
                lineNumber++;
                return new Line(excerpt, 0, excerpt.length, lineNumber, lineStart, true, consumedBytes - lineStart);
            }
            if (eof) {
                digest = digestBefore;
                consumedBytes = consumedBefore;
                checkpointSha256 = checkpointBefore;
                return null;
            }
            fill();
        }
    }

    /** Counts the final unterminated line as consumed (it was complete JSON, just without its newline). */
    public void acceptTail()
    {
        if (pendingTail == null) {
            throw new IllegalStateException("no unterminated last line to accept");
        }
        consume(pendingTail.buffer(), pendingTail.offset(), (int) (bufferStartOffset + end - pendingTail.startOffset()));
        pendingTail = null;
    }

    /** Hashes bytes that follow the consumed ones, taking the checkpoint's hash when they cross it. */
    private void consume(byte[] bytes, int offset, int length)
    {
        long checkpointAt = checkpointBytes - consumedBytes;
        if (checkpointAt > 0 && checkpointAt <= length) {
            digest.update(bytes, offset, (int) checkpointAt);
            checkpointSha256 = HexFormat.of().formatHex(cloneDigest().digest());
            digest.update(bytes, offset + (int) checkpointAt, length - (int) checkpointAt);
        }
        else {
            digest.update(bytes, offset, length);
        }
        consumedBytes += length;
    }

    public long consumedBytes()
    {
        return consumedBytes;
    }

    /** Hex SHA-256 of the consumed bytes; call once, after the last line. */
    public String consumedSha256()
    {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Hex SHA-256 of the stream's first {@code checkpointBytes}, or null when fewer bytes were consumed (the stream
     * is shorter, or no longer splits into lines there).
     */
    public String checkpointSha256()
    {
        return checkpointSha256;
    }

    private MessageDigest cloneDigest()
    {
        try {
            return (MessageDigest) digest.clone();
        }
        catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of this JDK cannot be cloned", e);
        }
    }

    private void fill()
            throws IOException
    {
        if (start > 0 && (start == end || start > buffer.length / 2 || end == buffer.length)) {
            if (start == end) {
                bufferStartOffset += start;
                start = 0;
                end = 0;
            }
            else {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                bufferStartOffset += start;
                end -= start;
                start = 0;
            }
        }
        if (end == buffer.length) {
            byte[] larger = new byte[Math.multiplyExact(buffer.length, 2)];
            System.arraycopy(buffer, 0, larger, 0, end);
            buffer = larger;
        }
        int read = input.read(buffer, end, buffer.length - end);
        if (read < 0) {
            eof = true;
        }
        else {
            end += read;
        }
    }

    private void skipByteOrderMark()
    {
        bomChecked = true;
        if (end >= 3 && buffer[0] == (byte) 0xEF && buffer[1] == (byte) 0xBB && buffer[2] == (byte) 0xBF) {
            consume(buffer, 0, 3);
            start = 3;
        }
    }

    private static boolean isBlank(Line line)
    {
        for (int i = line.offset(); i < line.offset() + line.length(); i++) {
            byte b = line.buffer()[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
