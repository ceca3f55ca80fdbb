package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code --db} accepts besides JDBC URLs: a relative path is an H2 file below the working directory, a libpq
 * URL is PostgreSQL, and anything else that looks like a URL is refused; none of these leaves a file named like a URL.
 */
class DatabaseLocationCliTest
{
    /** Relative to the working directory, which is the project folder under Maven. */
    private final Path relative = Path.of("target", "relative-db-" + UUID.randomUUID());


    @AfterEach
    void deleteRelativeFolder()
            throws IOException
    {
        if (Files.exists(relative)) {
            try (Stream<Path> files = Files.walk(relative)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void aRelativePathIsAnH2FileBelowTheWorkingDirectory()
    {
        String db = relative.resolve("mywh").toString();
        Run load = run("load", "--db", db, "--path", "examples/claude_code");
        assertEquals(0, load.exitCode(), load.err());
        assertTrue(Files.isRegularFile(relative.resolve("mywh.mv.db")));
        assertTrue(load.err().contains(relative.toAbsolutePath().resolve("mywh").toString()), load.err());
        assertEquals("n\n3\n", run("sql", "--db", db, "--csv", "select count(*) as n from sessions").out());
        assertEquals("n\n3\n", run("sql", "--db", db + ".mv.db", "--csv", "select count(*) as n from sessions").out());
    }

    @Test
    void aLibpqUrlIsPostgresqlAndNeverAFile()
            throws IOException
    {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        for (String url : List.of("postgres://alice@127.0.0.1:" + closed + "/traces", "postgresql://alice@127.0.0.1:" + closed + "/traces?sslmode=disable")) {
            Run run = run("runs", "--db", url);
            assertEquals(2, run.exitCode(), run.err());
            assertTrue(run.err().contains("cannot open the warehouse at jdbc:postgresql://127.0.0.1:" + closed + "/traces?"), run.err());
            assertTrue(run.err().contains("Connection to 127.0.0.1:" + closed + " refused"), run.err());
        }
        assertNoFileNamedLikeAUrl();
    }

    @Test
    void anyOtherUrlIsAUsageError()
    {
        for (String url : List.of("mysql://alice@127.0.0.1/traces", "https://example.com/traces", "jdbc:mysql://127.0.0.1/traces",
                "postgres://alice@127.0.0.1/traces?no_such_setting=1")) {
            Run run = run("load", "--db", url, "--path", "examples/claude_code");
            assertEquals(3, run.exitCode(), url + ": " + run.err());
            assertTrue(run.err().startsWith("tracewh: unsupported "), run.err());
        }
        assertNoFileNamedLikeAUrl();
    }

    private static void assertNoFileNamedLikeAUrl()
    {
        for (String scheme : List.of("postgres:", "postgresql:", "mysql:", "https:", "jdbc:mysql:")) {
            assertFalse(Files.exists(Path.of(scheme)), scheme);
        }
    }

}
