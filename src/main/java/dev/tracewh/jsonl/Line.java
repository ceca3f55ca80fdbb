package dev.tracewh.jsonl;

/**
 * One line of a JSON-lines file, as a view into the reader's buffer: valid only until the next call to
 * {@link JsonlReader#next()}. {@code number} counts from 1; {@code terminated} is false for a last line that
 * has no newline yet. A line longer than the reader's limit is not kept: its {@code overlongBytes} is its length
 * and the buffer holds only its first bytes, for an excerpt; it is 0 for every line kept whole.
 */
public record Line(byte[] buffer, int offset, int length, long number, long startOffset, boolean terminated, long overlongBytes)
{
    public boolean overlong()
    {
        return overlongBytes > 0;
    }

    public String excerpt(int maxChars)
    {
        String text = new String(buffer, offset, Math.min(length, maxChars * 4), java.nio.charset.StandardCharsets.UTF_8);
        return text.length() <= maxChars ? text : text.substring(0, maxChars);
    }
}
