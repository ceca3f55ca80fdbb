package dev.tracewh.load;

import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.testing.ChildJvm;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.tracewh.warehouse.schema.Tables.LOAD_RUNS;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills a real {@code tracewh load} process (SIGKILL) part-way, loads again, and expects exactly the warehouse a
 * clean single load gives: a file is committed whole with its state, so none is left half-written.
 */
abstract class KillAndResumeContract
{
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int COPIES = 36;

    @TempDir
    Path temp;

    protected abstract TestDatabase.Kind kind();

    /** A fresh database that a separate process can open. */
    protected abstract TestDatabase databaseForAnotherProcess(Path directory);

    @Test
    void killedLoadResumesToTheWarehouseOfACleanLoad()
            throws Exception
    {
        Path corpus = replicatedCorpus(temp.resolve("corpus"));
        int files;
        Map<String, String> clean;
        try (TestDatabase database = TestDatabase.create(kind()); Warehouse warehouse = database.open()) {
            files = load(warehouse, corpus).files().loaded();
            clean = WarehouseChecksum.of(warehouse.dsl());
        }

        // a whole child load, JVM start-up included, times the kills: a kill that lands before the first commit
        // (or after the last) moves the next one later (or earlier) until one lands mid-load
        long start = System.nanoTime();
        try (TestDatabase calibration = databaseForAnotherProcess(temp.resolve("calibration"))) {
            Process process = startLoad(calibration, corpus);
            assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the calibration load did not finish");
            assertEquals(0, process.exitValue(), () -> "the calibration load failed: " + ChildJvm.log(temp.resolve("child.log")));
        }
        long earliest = 0;
        long latest = (System.nanoTime() - start) / 1_000_000;
        for (int attempt = 0; attempt < 8; attempt++) {
            long delay = (earliest + latest) / 2;
            try (TestDatabase killed = databaseForAnotherProcess(temp.resolve("attempt-" + attempt))) {
                Process process = startLoad(killed, corpus);
                if (process.waitFor(delay, TimeUnit.MILLISECONDS)) {
                    latest = delay;
                    continue;
                }
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                try (Warehouse warehouse = Warehouse.open(killed.url())) {
                    int loaded = warehouse.dsl().fetchCount(SOURCE_FILES);
                    if (loaded == 0) {
                        earliest = delay;
                        continue;
                    }
                    if (loaded == files) {
                        latest = delay;
                        continue;
                    }
                    LoadReport resumed = load(warehouse, corpus);
                    assertEquals(files - loaded, resumed.files().loaded(), () -> "the resumed load reads only what the killed one did not commit: " + resumed);
                    assertEquals(clean, WarehouseChecksum.of(warehouse.dsl()));
                    assertEquals(List.of("interrupted", "succeeded"), warehouse.dsl().select(LOAD_RUNS.STATUS).from(LOAD_RUNS)
                            .orderBy(LOAD_RUNS.RUN_ID).fetch(LOAD_RUNS.STATUS), "the killed run, then the resumed one");
                    return;
                }
            }
        }
        fail("could not kill the load part-way");
    }

    /** A {@code tracewh load} of {@code corpus} in a child JVM, into a database migrated up front. */
    private Process startLoad(TestDatabase database, Path corpus)
            throws IOException
    {
        try (Warehouse warehouse = database.open()) {
            // migrated here so the child spends its time loading
        }
        return ChildJvm.start(temp.resolve("child.log"), List.of(), "load", "--db", database.url().jdbcUrl(), "--format", "claude_code", "--path", corpus.toString());
    }

    private static LoadReport load(Warehouse warehouse, Path corpus)
            throws IOException
    {
        return new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), corpus)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
    }

    /** Copies of the synthetic corpus with fresh session ids, so there are enough files to stop in the middle. */
    private static Path replicatedCorpus(Path target)
            throws IOException
    {
        Path source = SharedFixtures.path("synthetic/claude_code/projects");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (int copy = 0; copy < COPIES; copy++) {
            for (Path file : files) {
                String relative = "copy-" + copy + "/" + renamed(source.relativize(file).toString(), copy);
                Path destination = target.resolve(relative);
                Files.createDirectories(destination.getParent());
                Files.writeString(destination, renamed(Files.readString(file), copy));
            }
        }
        return target;
    }

    /** Gives every UUID a copy-specific first group, consistently in paths and contents. */
    private static String renamed(String text, int copy)
    {
        Matcher matcher = UUID.matcher(text);
        StringBuilder result = new StringBuilder(text.length());
        while (matcher.find()) {
            matcher.appendReplacement(result, String.format("%08x", copy) + matcher.group().substring(8));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
