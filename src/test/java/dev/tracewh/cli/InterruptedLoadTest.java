package dev.tracewh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.testing.ChildJvm;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.Warehouse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

import static dev.tracewh.warehouse.schema.Tables.LOAD_RUNS;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Ctrl-C (SIGINT) to a real {@code tracewh load} once it has committed files: it says "interrupted", not what the
 * closing database made the load fail with, and its run is recorded as interrupted by the process itself.
 */
class InterruptedLoadTest
{
    /** A progress frame past 0 %: files are written and committed. */
    private static final Pattern COMMITTED = Pattern.compile("load +[1-9][0-9]*%");
    private static final int ATTEMPTS = 3;

    @TempDir
    Path temp;

    private Path corpus;

    @BeforeEach
    void writeCorpus()
    {
        corpus = temp.resolve("corpus");
        Cli.Run written = Cli.run("dev", "gen-corpus", "--format", "claude_code", "--out", corpus.toString(), "--size", "120MB");
        assertEquals(ExitCodes.SUCCESS, written.exitCode(), written.err());
    }

    @Test
    void h2()
            throws Exception
    {
        interruptedLoadIsRecordedAndSaidSo(attempt -> TestDatabase.h2File(temp.resolve("warehouse-" + attempt)));
    }

    @Test
    void postgresql()
            throws Exception
    {
        interruptedLoadIsRecordedAndSaidSo(attempt -> TestDatabase.create(TestDatabase.Kind.POSTGRESQL));
    }

    /**
     * The interrupt is sent once a progress frame shows committed files, but a frame comes about once a second and a
     * fast machine can load the whole corpus within one: a load that finished before the interrupt (or before a frame
     * past 0 %) is tried again on a fresh warehouse.
     */
    private void interruptedLoadIsRecordedAndSaidSo(IntFunction<TestDatabase> databases)
            throws Exception
    {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (TestDatabase database = databases.apply(attempt)) {
                if (interruptedWhileLoading(database)) {
                    return;
                }
            }
        }
        fail("the load finished before the interrupt in each of " + ATTEMPTS + " tries");
    }

    /** Interrupts a load of the corpus into {@code database} and checks what it said and recorded; false if it finished first. */
    private boolean interruptedWhileLoading(TestDatabase database)
            throws Exception
    {
        try (Warehouse warehouse = database.open()) {
            // migrated here so the child spends its time loading
        }
        Path out = temp.resolve("child.out");
        Path err = temp.resolve("child.err");
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaCommand(), "-cp", System.getProperty("java.class.path"), "dev.tracewh.cli.Main",
                "load", "--db", database.url().jdbcUrl(), "--path", corpus.resolve("projects").toString(), "--json"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PG") || name.startsWith("TRACEWH_"));
        builder.environment().put(TerminalProgress.OVERRIDE_VARIABLE, "always");
        Process process = builder.start();
        try {
            assumeFalse(ignoresInterrupts(process.pid()), "this test's processes ignore SIGINT (started in the background by a shell)");
            // the first frame past 0 % may be the last, printed as the load ends
            boolean ended = false;
            while (!ended && !COMMITTED.matcher(Files.readString(err)).find()) {
                ended = process.waitFor(20, TimeUnit.MILLISECONDS);
            }
            if (!ended) {
                // a load that ends between the check and the signal leaves no process to signal
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            }
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the interrupted load did not end");
        }
        finally {
            process.destroyForcibly();
        }

        String said = Files.readString(err);
        JsonNode line = new ObjectMapper().readTree(Files.readString(out));
        if (process.exitValue() == ExitCodes.SUCCESS && line.get("status").asText().equals("succeeded")) {
            return false;
        }
        assertEquals(130, process.exitValue(), said);
        assertTrue(said.contains("tracewh: interrupted; load run 1 is recorded as interrupted"), said);
        assertFalse(said.contains("DB_CLOSE_ON_EXIT"), said);
        assertFalse(said.contains("Exception"), said);
        assertEquals("interrupted", line.get("status").asText());
        assertEquals(1, line.get("run_id").asLong());
        try (Warehouse warehouse = Warehouse.open(database.url())) {
            assertEquals(List.of("interrupted"), warehouse.dsl().select(LOAD_RUNS.STATUS).from(LOAD_RUNS).fetch(LOAD_RUNS.STATUS));
            assertTrue(warehouse.dsl().fetchCount(SOURCE_FILES) > 0, "files were committed before the interrupt");
        }
        return true;
    }

    /** Whether SIGINT (signal 2) is ignored by process {@code pid}, as a shell's background jobs inherit. */
    private static boolean ignoresInterrupts(long pid)
            throws IOException
    {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring("SigIgn:".length()).strip(), 16) & 0b10) != 0;
            }
        }
        return false;
    }
}
