package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import dev.tracewh.testing.ChildJvm;
import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class H2StreamingOutputTest
        extends StreamingOutputContract
{
    @Override
    protected TestDatabase database(Path folder)
    {
        return TestDatabase.h2File(folder.resolve("warehouse"));
    }

    @Override
    protected String rows(int rows, int width)
    {
        return "select n, repeat('a', " + width + ") as t from system_range(1, " + rows + ") as r(n)";
    }

    @Override
    protected String endless()
    {
        return "select n from system_range(1, " + Long.MAX_VALUE + ") as r(n)";
    }

    /**
     * An export to stdout whose reader goes away stops there: no "exported" summary, which an export that wrote on
     * into the closed pipe (standard output's errors unseen) printed once it had written every trace.
     */
    @Test
    void anExportToAClosedPipeStopsQuietly()
            throws IOException, InterruptedException
    {
        Path corpus = temp.resolve("corpus");
        Path warehouse = temp.resolve("export-warehouse");
        Run generate = run("dev", "gen-corpus", "--format", "claude_code", "--size", "3MB", "--seed", "1", "--out", corpus.toString());
        assertEquals(0, generate.exitCode(), generate.err());
        Run load = run("load", "--db", warehouse.toString(), "--path", corpus.toString());
        assertEquals(0, load.exitCode(), load.err());

        Path err = temp.resolve("export.err");
        Process export = new ProcessBuilder(ChildJvm.javaCommand(), "-cp", System.getProperty("java.class.path"), "dev.tracewh.cli.Main",
                "export", "traces", "--db", warehouse.toString(), "--out", "-")
                .redirectError(err.toFile())
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(export.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertTrue(first != null && first.startsWith("{\"trace_id\":"), () -> first + ChildJvm.log(err));
        }
        assertTrue(export.waitFor(60, TimeUnit.SECONDS), "the export kept running after its reader went away");
        assertEquals(0, export.exitValue(), ChildJvm.log(err));
        assertFalse(ChildJvm.log(err).contains("exported"), ChildJvm.log(err));
        assertFalse(ChildJvm.log(err).contains("tracewh:"), ChildJvm.log(err));
    }
}
