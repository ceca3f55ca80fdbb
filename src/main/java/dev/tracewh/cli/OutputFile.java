package dev.tracewh.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static java.util.Objects.requireNonNull;

/**
 * An export's output: standard output for {@code -}, else a temporary file beside the target that takes the
 * target's place in one atomic rename once the export has succeeded ({@link #commit}). A failed export deletes the
 * temporary file and leaves the previous output as it was, and nobody ever reads a half-written file.
 */
final class OutputFile
        implements AutoCloseable
{
    private static final int BUFFER = 1 << 16;

    private final OutputStream stream;
    private final Optional<Path> target;
    private final Optional<Path> temporary;
    private boolean committed;

    private OutputFile(OutputStream stream, Optional<Path> target, Optional<Path> temporary)
    {
        this.stream = stream;
        this.target = target;
        this.temporary = temporary;
    }

    static OutputFile open(Path out)
            throws IOException
    {
        requireNonNull(out, "out is null");
        if (out.toString().equals("-")) {
            return new OutputFile(new BufferedOutputStream(new StandardOutput(), BUFFER), Optional.empty(), Optional.empty());
        }
        // through a symbolic link to the file it names, as writing to the link did
        Path target = Files.exists(out) ? out.toRealPath() : out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temporary = target.resolveSibling("." + target.getFileName() + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
        OutputStream stream = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            keepPermissions(target, temporary);
        }
        catch (IOException | RuntimeException e) {
            stream.close();
            Files.deleteIfExists(temporary);
            throw e;
        }
        return new OutputFile(new BufferedOutputStream(stream, BUFFER), Optional.of(target), Optional.of(temporary));
    }

    /**
     * Standard output as a stream that reports its errors, which {@link System#out} keeps to itself: a reader that
     * went away ({@code | head}) is a {@link ClosedOutputException}. Closing it does nothing: standard output stays open.
     */
    private static final class StandardOutput
            extends OutputStream
    {
        private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);

        @Override
        public void write(int b)
                throws IOException
        {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length)
                throws IOException
        {
            try {
                out.write(bytes, offset, length);
            }
            catch (IOException e) {
                throw ClosedOutputException.closedPipe(e) ? new ClosedOutputException(e) : e;
            }
        }
    }

    /** A file someone made private stays private when it is replaced. */
    private static void keepPermissions(Path target, Path temporary)
            throws IOException
    {
        PosixFileAttributeView existing = Files.getFileAttributeView(target, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (existing != null && Files.exists(target)) {
            Files.getFileAttributeView(temporary, PosixFileAttributeView.class).setPermissions(existing.readAttributes().permissions());
        }
    }

    OutputStream stream()
    {
        return stream;
    }

    /** Writes out what is buffered and puts the file in the target's place. */
    void commit()
            throws IOException
    {
        stream.close();
        if (temporary.isPresent()) {
            Files.move(temporary.get(), target.orElseThrow(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Without a {@link #commit}, deletes the temporary file: the target stays as it was. */
    @Override
    public void close()
            throws IOException
    {
        if (committed) {
            return;
        }
        try {
            stream.close();
        }
        finally {
            if (temporary.isPresent()) {
                Files.deleteIfExists(temporary.get());
            }
        }
    }
}
