package dev.tracewh.devtools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.util.Objects.requireNonNull;

/**
 * Writes one JSON-lines file through a streaming Jackson generator (no trees), one object per line. Strings are
 * escaped by Jackson: control characters, NUL included, become backslash-u escapes and non-ASCII stays UTF-8.
 */
final class JsonLineWriter
        implements Closeable
{
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path file;
    private final CountingOutputStream output;
    private final JsonGenerator json;
    private long lines;

    private JsonLineWriter(Path file, OutputStream stream, long initialBytes)
            throws IOException
    {
        this.file = file;
        this.output = new CountingOutputStream(new BufferedOutputStream(stream, BUFFER_BYTES), initialBytes);
        this.json = JSON.createGenerator(output);
        // lines end with our newline, not with Jackson's default space between root values
        json.setRootValueSeparator(null);
    }

    static JsonLineWriter create(Path file)
            throws IOException
    {
        requireNonNull(file, "file is null");
        Files.createDirectories(file.getParent());
        return new JsonLineWriter(file, Files.newOutputStream(file), 0);
    }

    static JsonLineWriter append(Path file)
            throws IOException
    {
        requireNonNull(file, "file is null");
        return new JsonLineWriter(file, Files.newOutputStream(file, StandardOpenOption.APPEND), Files.size(file));
    }

    JsonGenerator json()
    {
        return json;
    }

    /** Starts a line's top-level object. */
    JsonGenerator startLine()
            throws IOException
    {
        json.writeStartObject();
        return json;
    }

    /** Ends the line's top-level object and the line. */
    void endLine()
            throws IOException
    {
        json.writeEndObject();
        json.writeRaw('\n');
        lines++;
    }

    /** Bytes in the file so far, counting what is still buffered. */
    long bytes()
    {
        return output.count() + json.getOutputBuffered();
    }

    long lines()
    {
        return lines;
    }

    Path file()
    {
        return file;
    }

    @Override
    public void close()
            throws IOException
    {
        json.close();
    }

    private static final class CountingOutputStream
            extends FilterOutputStream
    {
        private long count;

        CountingOutputStream(OutputStream output, long initialCount)
        {
            super(output);
            this.count = initialCount;
        }

        @Override
        public void write(int b)
                throws IOException
        {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length)
                throws IOException
        {
            out.write(bytes, offset, length);
            count += length;
        }

        long count()
        {
            return count;
        }
    }
}
