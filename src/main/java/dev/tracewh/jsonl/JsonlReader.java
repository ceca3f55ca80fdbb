package dev.tracewh.jsonl;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * Splits a stream into JSON lines as bytes, with no limit on line length and without decoding to Strings
 * (Jackson parses UTF-8 bytes twice as fast). Skips a UTF-8 byte order mark, strips CR before LF and passes
 * over blank lines. Keeps a SHA-256 of the bytes consumed so far: every terminated line, plus the final
 * unterminated one only when the caller {@linkplain #acceptTail() accepts} it as complete.
 */
public final class JsonlReader
{
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final InputStream input;
    private final MessageDigest digest;
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int start;
    private int end;
    private boolean eof;
    private boolean bomChecked;
    private long bufferStartOffset;
    private long lineNumber;
    private long consumedBytes;
    private Line pendingTail;

    public JsonlReader(InputStream input)
    {
        this.input = requireNonNull(input, "input is null");
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
                return emit(newline, true);
            }
            if (eof) {
                return start == end ? null : emit(end, false);
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
        Line line = new Line(buffer, start, length, lineNumber, startOffset, terminated);
        int next = terminated ? lineEnd + 1 : lineEnd;
        if (terminated) {
            digest.update(buffer, start, next - start);
            consumedBytes = bufferStartOffset + next;
        }
        else {
            pendingTail = line;
        }
        start = next;
        return line;
    }

    /** Counts the final unterminated line as consumed (it was complete JSON, just without its newline). */
    public void acceptTail()
    {
        if (pendingTail == null) {
            throw new IllegalStateException("no unterminated last line to accept");
        }
        digest.update(pendingTail.buffer(), pendingTail.offset(), (int) (bufferStartOffset + end - pendingTail.startOffset()));
        consumedBytes = bufferStartOffset + end;
        pendingTail = null;
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
            digest.update(buffer, 0, 3);
            start = 3;
            consumedBytes = 3;
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
