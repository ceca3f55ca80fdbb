package dev.tracewh.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Summaries go to stderr, data to stdout: a command whose output is only a summary leaves stdout empty. */
class SummaryStreamsTest
{
    @TempDir
    Path temp;

    @Test
    void migrateAndCompactSummarizeOnStderr()
    {
        String database = temp.resolve("warehouse").toString();

        Cli.Run migrate = Cli.run("migrate", "--db", database);
        Cli.Run compact = Cli.run("compact", "--db", database);

        assertEquals(ExitCodes.SUCCESS, migrate.exitCode(), migrate.err());
        assertEquals("", migrate.out());
        assertTrue(migrate.err().contains("is at schema version"), migrate.err());
        assertEquals(ExitCodes.SUCCESS, compact.exitCode(), compact.err());
        assertEquals("", compact.out());
        assertTrue(compact.err().startsWith("compacted "), compact.err());
    }

    @Test
    void loadSummarizesOnStderrAndItsJsonLineIsTheOnlyStdout()
    {
        String database = temp.resolve("warehouse").toString();

        Cli.Run load = Cli.run("load", "--db", database, "--path", "examples/claude_code");
        Cli.Run json = Cli.run("load", "--db", database, "--path", "examples/claude_code", "--json");

        assertEquals(ExitCodes.SUCCESS, load.exitCode(), load.err());
        assertEquals("", load.out());
        assertTrue(load.err().startsWith("load run 1 succeeded"), load.err());
        assertEquals(ExitCodes.SUCCESS, json.exitCode(), json.err());
        assertEquals(1, json.out().lines().count(), json.out());
        assertTrue(json.out().startsWith("{\"run_id\":2,"), json.out());
    }
}
