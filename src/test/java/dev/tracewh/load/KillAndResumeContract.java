package dev.tracewh.load;

import dev.tracewh.format.claudecode.ClaudeCodeFormat;
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

import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Kills a real {@code tracewh load} process (SIGKILL) part-way, loads again, and expects exactly the warehouse a
 * clean single load gives: per-file transactions leave no half-written file behind.
 */
abstract class KillAndResumeContract
{
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int COPIES = 12;

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
        long cleanMillis;
        Map<String, String> clean;
        try (TestDatabase database = TestDatabase.create(kind()); Warehouse warehouse = database.open()) {
            long start = System.nanoTime();
            files = load(warehouse, corpus).files().loaded();
            cleanMillis = (System.nanoTime() - start) / 1_000_000;
            clean = WarehouseChecksum.of(warehouse.dsl());
        }

        // JVM start-up plus part of a load; retried with other delays until the kill lands mid-load
        List<Long> delays = List.of(1500 + cleanMillis / 2, 1000 + cleanMillis / 4, 2500 + cleanMillis);
        for (int attempt = 0; attempt < delays.size(); attempt++) {
            try (TestDatabase killed = databaseForAnotherProcess(temp.resolve("attempt-" + attempt))) {
                try (Warehouse warehouse = killed.open()) {
                    // migrated up front so the child spends its time loading
                }
                Process process = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"), "dev.tracewh.cli.Main",
                        "load", "--db", killed.url().jdbcUrl(), "--format", "claude_code", "--path", corpus.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(temp.resolve("child.log").toFile())
                        .start();
                if (process.waitFor(delays.get(attempt), TimeUnit.MILLISECONDS)) {
                    fail("the load finished before it could be killed: " + Files.readString(temp.resolve("child.log")));
                }
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                try (Warehouse warehouse = Warehouse.open(killed.url())) {
                    int loaded = warehouse.dsl().fetchCount(SOURCE_FILES);
                    if (loaded > 0 && loaded < files) {
                        LoadReport resumed = load(warehouse, corpus);
                        assertEquals(files - loaded, resumed.files().loaded(), "the resumed load reads only what the killed one did not commit");
                        assertEquals(clean, WarehouseChecksum.of(warehouse.dsl()));
                        return;
                    }
                }
            }
        }
        fail("could not kill the load part-way");
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

    private static String javaCommand()
    {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
