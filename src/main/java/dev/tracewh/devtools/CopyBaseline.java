package dev.tracewh.devtools;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * The floor a loader is measured against: {@code psql \copy} of every line of the corpus, verbatim, into a table of
 * one text column. The lines go in as CSV with quote and delimiter bytes that JSON text never contains (0x01, 0x02),
 * so neither backslash escapes nor commas are interpreted and each line is one value.
 */
final class CopyBaseline
{
    static final String TABLE = "bench_copy_lines";
    private static final long BACKEND_EXIT_WAIT_MILLIS = 5_000;

    /** How the copied column is stored: out-of-line without compression, or compressed with lz4. */
    enum Storage
    {
        EXTERNAL("uncompressed (storage external)", "alter table " + TABLE + " alter column line set storage external"),
        LZ4("lz4 compression", "alter table " + TABLE + " alter column line set compression lz4");

        private final String description;
        private final String alterStatement;

        Storage(String description, String alterStatement)
        {
            this.description = description;
            this.alterStatement = alterStatement;
        }

        String description()
        {
            return description;
        }
    }

    /**
     * One timed copy; {@code tableBytes} is the table's size afterwards, TOAST included. {@code psqlCpuSeconds} and
     * {@code serverCpuSeconds} are the CPU time of {@code psql} and of the server, NaN where they cannot be read.
     */
    record Result(Storage storage, double seconds, long bytes, long tableBytes, double psqlCpuSeconds, double serverCpuSeconds)
    {
        double megabytesPerSecond()
        {
            return bytes / 1e6 / seconds;
        }
    }

    private final PostgresTarget target;

    CopyBaseline(PostgresTarget target)
    {
        this.target = requireNonNull(target, "target is null");
    }

    /** Copies {@code files} into a fresh table stored as {@code storage}; the table is dropped afterwards. */
    Result copy(List<Path> files, Storage storage)
            throws IOException, SQLException, InterruptedException
    {
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute("drop table if exists " + TABLE);
            statement.execute("create table " + TABLE + " (line text)");
            statement.execute(storage.alterStatement);
            statement.execute("checkpoint");

            double startPsqlCpu = ProcCpu.waitedForChildren();
            ProcCpu.Server startServer = server();
            long startNanos = System.nanoTime();
            long bytes = runPsql(files);
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            double psqlCpu = ProcCpu.waitedForChildren() - startPsqlCpu;
            double serverCpu = serverCpuSince(startServer);

            long tableBytes;
            try (ResultSet size = statement.executeQuery("select pg_total_relation_size('" + TABLE + "')")) {
                size.next();
                tableBytes = size.getLong(1);
            }
            statement.execute("drop table " + TABLE);
            return new Result(storage, seconds, bytes, tableBytes, psqlCpu, serverCpu);
        }
    }

    private ProcCpu.Server server()
            throws InterruptedException
    {
        return target.isOnThisMachine() ? ProcCpu.settledLocalPostgres() : new ProcCpu.Server(Double.NaN, Set.of());
    }

    /**
     * The server's CPU seconds since {@code start}, read once psql's backend has exited and been waited for (its
     * time counts nowhere in between), or after {@value #BACKEND_EXIT_WAIT_MILLIS} ms.
     */
    private double serverCpuSince(ProcCpu.Server start)
            throws InterruptedException
    {
        // each settled reading already waits between its scans
        long deadline = System.nanoTime() + BACKEND_EXIT_WAIT_MILLIS * 1_000_000;
        ProcCpu.Server now = server();
        while (now.hasProcessesSince(start) && System.nanoTime() < deadline) {
            now = server();
        }
        return now.cpuSeconds() - start.cpuSeconds();
    }

    /** Streams every file into {@code psql \copy ... from pstdin}; returns the bytes sent. */
    private long runPsql(List<Path> files)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-c", "\\copy " + TABLE + " (line) from pstdin with (format csv, quote e'\\x01', delimiter e'\\x02')");
        builder.environment().putAll(target.psqlEnvironment());
        builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process psql = builder.start();
        CompletableFuture<String> errors = ErrorOutput.collect(psql);
        long bytes = 0;
        try (OutputStream input = new BufferedOutputStream(psql.getOutputStream(), 1 << 20)) {
            for (Path file : files) {
                long size = Files.copy(file, input);
                bytes += size;
                // a last line without its newline would run into the next file's first line
                if (size > 0 && lastByte(file) != '\n') {
                    input.write('\n');
                }
            }
        }
        int exitCode = psql.waitFor();
        if (exitCode != 0) {
            throw new IOException("psql \\copy failed with exit code " + exitCode + ": " + errors.join().strip());
        }
        return bytes;
    }

    private static int lastByte(Path file)
            throws IOException
    {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.position(channel.size() - 1).read(last);
            return last.get(0);
        }
    }
}
