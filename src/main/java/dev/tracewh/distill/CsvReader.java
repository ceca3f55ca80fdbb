package dev.tracewh.distill;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads RFC 4180 CSV: comma-separated fields, double quotes around fields that hold commas, quotes or line
 * breaks, a doubled quote for a quote inside them, CRLF or LF line ends. Skips a byte order mark.
 */
final class CsvReader
{
    /** One record and the line it starts on (counting from 1). */
    record CsvRecord(long lineNumber, List<String> fields)
    {
        CsvRecord
        {
            fields = List.copyOf(fields);
        }
    }

    private final Reader input;
    private long lineNumber = 1;
    private int peeked = -2;
    private boolean started;

    CsvReader(Reader input)
    {
        this.input = requireNonNull(input, "input is null");
    }

    /** The next record, or null at the end of the input; blank lines are skipped. */
    CsvRecord next()
            throws IOException
    {
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') {
                read();
            }
        }
        while (peek() == '\r' || peek() == '\n') {
            endOfLine();
        }
        if (peek() == -1) {
            return null;
        }
        long start = lineNumber;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        while (true) {
            int c = read();
            if (quoted) {
                if (c == -1) {
                    throw new IOException("line " + start + ": a quoted field is not closed before the end of the file");
                }
                if (c == '"') {
                    if (peek() == '"') {
                        field.append((char) read());
                    }
                    else {
                        quoted = false;
                    }
                }
                else {
                    if (c == '\n') {
                        lineNumber++;
                    }
                    field.append((char) c);
                }
            }
            else if (c == '"' && field.isEmpty()) {
                quoted = true;
            }
            else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            }
            else if (c == -1 || c == '\r' || c == '\n') {
                if (c != -1) {
                    unread(c);
                    endOfLine();
                }
                fields.add(field.toString());
                return new CsvRecord(start, fields);
            }
            else {
                field.append((char) c);
            }
        }
    }

    private void endOfLine()
            throws IOException
    {
        if (read() == '\r' && peek() == '\n') {
            read();
        }
        lineNumber++;
    }

    private int peek()
            throws IOException
    {
        if (peeked == -2) {
            peeked = input.read();
        }
        return peeked;
    }

    private int read()
            throws IOException
    {
        int c = peek();
        peeked = -2;
        return c;
    }

    private void unread(int c)
    {
        peeked = c;
    }
}
