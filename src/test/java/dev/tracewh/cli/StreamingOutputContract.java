package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import dev.tracewh.testing.ChildJvm;
import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tracewh sql} prints a result larger than its heap: each layout over 50 MB of rows in a child JVM with
 * {@value #HEAP}, where gathering the rows first ran out of memory (exit code 1); and a reader that goes away
 * ({@code | head}) stops it quietly.
 */
abstract class StreamingOutputContract
{
    private static final String HEAP = "-Xmx40m";
    private static final int ROWS = 25_000;
    private static final int WIDTH = 2_000;

    @TempDir
    Path temp;

    private TestDatabase database;
    private String db;

    /** A database that another process can open. */
    protected abstract TestDatabase database(Path folder);

    /** A query of {@code rows} rows: n (1, 2, ...) and t, {@code width} times 'a'. */
    protected abstract String rows(int rows, int width);

    /** A query of n (1, 2, ...) that never ends, and streams. */
    protected abstract String endless();

    @BeforeEach
    void createTheWarehouse()
    {
        database = database(temp);
        db = database.url().jdbcUrl();
        database.open().close();
    }

    @AfterEach
    void closeTheWarehouse()
    {
        database.close();
    }

    @Test
    void aResultLargerThanTheHeapStreamsInEveryLayout()
            throws IOException, InterruptedException
    {
        String query = rows(ROWS, WIDTH);
        for (List<String> layout : List.of(List.of("--csv"), List.of("--json"), List.of("--max-width", "0"))) {
            Path folder = Files.createDirectories(temp.resolve("run" + layout.getFirst()));
            String[] args = Stream.concat(Stream.of("sql", "--db", db), Stream.concat(layout.stream(), Stream.of(query))).toArray(String[]::new);
            Run run = Cli.inChildJvm(folder, List.of(HEAP), Map.of(), args);
            assertEquals(0, run.exitCode(), layout + ": " + run.err());
            assertEquals("", run.err(), layout.toString());
            List<String> lines = run.out().lines().toList();
            String a = "a".repeat(WIDTH);
            if (layout.contains("--csv")) {
                assertEquals(ROWS + 1, lines.size());
                assertEquals(ROWS + "," + a, lines.getLast());
            }
            else if (layout.contains("--json")) {
                assertEquals(ROWS, lines.size());
                assertEquals("{\"n\":" + ROWS + ",\"t\":\"" + a + "\"}]", lines.getLast());
            }
            else {
                assertEquals(ROWS + 2, lines.size());
                assertEquals(ROWS + "  " + a, lines.getLast());
            }
        }
    }

    @Test
    void aClosedPipeStopsTheCommandQuietly()
            throws IOException, InterruptedException
    {
        // only stopping at the closed pipe ends it
        Process sql = new ProcessBuilder(ChildJvm.javaCommand(), HEAP, "-cp", System.getProperty("java.class.path"), "dev.tracewh.cli.Main",
                "sql", "--db", db, "--csv", endless())
                .redirectError(temp.resolve("sql.err").toFile())
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(sql.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("n", out.readLine(), () -> ChildJvm.log(temp.resolve("sql.err")));
            assertEquals("1", out.readLine());
        }
        assertTrue(sql.waitFor(60, TimeUnit.SECONDS), "tracewh sql kept running after its reader went away");
        assertEquals(0, sql.exitValue());
        assertEquals("", Files.readString(temp.resolve("sql.err")));
    }
}
