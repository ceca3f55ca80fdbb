package dev.tracewh.load;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.SourceFileStore;
import dev.tracewh.warehouse.Warehouse;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three machines load one PostgreSQL at the same time, each its own files under the same absolute root (each machine
 * is a file system of its own): together they equal one load of all the files, and none marks another's missing.
 */
class PostgresManyHostsTest
{
    private static final String ROOT = "/home/dev/.claude/projects";
    private static final List<String> HOSTS = List.of("ci-runner-1", "ci-runner-2", "laptop");

    @Test
    void threeHostsLoadingTheSameRootAtOnceEqualOneLoadOfAllTheirFiles()
            throws Exception
    {
        List<Path> corpus = corpusFiles();
        Map<String, FileSystem> machines = new TreeMap<>();
        FileSystem everything = Jimfs.newFileSystem(Configuration.unix());
        for (int i = 0; i < corpus.size(); i++) {
            String host = HOSTS.get(i % HOSTS.size());
            copy(corpus.get(i), machines.computeIfAbsent(host, name -> Jimfs.newFileSystem(Configuration.unix())));
            copy(corpus.get(i), everything);
        }

        try (TestDatabase shared = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
                TestDatabase single = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
            ExecutorService hosts = Executors.newFixedThreadPool(HOSTS.size());
            try {
                List<Future<LoadReport>> loads = new ArrayList<>();
                for (String host : HOSTS) {
                    loads.add(hosts.submit(() -> load(shared, machines.get(host), host)));
                }
                for (Future<LoadReport> load : loads) {
                    assertEquals(LoadRunStore.Status.SUCCEEDED, load.get().status());
                }
            }
            finally {
                hosts.shutdownNow();
            }
            assertEquals(LoadRunStore.Status.SUCCEEDED, load(single, everything, "one-machine").status());

            try (Warehouse together = shared.open();
                    Warehouse alone = single.open()) {
                assertEquals(content(alone.dsl()), content(together.dsl()));
                assertEquals(0, together.dsl().fetchCount(SOURCE_FILES, SOURCE_FILES.STATUS.eq("missing")));
                assertEquals(corpus.size(), together.dsl().fetchCount(SOURCE_FILES));
                for (String host : HOSTS) {
                    assertTrue(together.dsl().fetchCount(SOURCE_FILES, SOURCE_FILES.SOURCE_HOST.eq(host)) > 0, host);
                }
            }

            for (String host : HOSTS) {
                LoadReport again = load(shared, machines.get(host), host);
                assertEquals(0, again.files().loaded(), host);
                assertEquals(0, again.files().missing(), host);
                assertEquals(0, again.rows().rowsChanged(), host);
            }
        }
    }

    @Test
    void twoHostsWithTheSamePathKeepTheirOwnFileStates()
            throws Exception
    {
        FileSystem laptop = Jimfs.newFileSystem(Configuration.unix());
        FileSystem container = Jimfs.newFileSystem(Configuration.unix());
        List<Path> corpus = corpusFiles();
        // the same file name on both machines, holding different sessions
        Path name = Path.of(ROOT).resolve("project/session.jsonl");
        write(laptop, name, corpus.get(0));
        write(container, name, corpus.get(1));

        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
            load(database, laptop, "laptop");
            load(database, container, "container");
            Files.delete(container.getPath(name.toString()));
            LoadReport gone = load(database, container, "container");
            assertEquals(1, gone.files().missing());

            LoadReport laptopAgain = load(database, laptop, "laptop");
            assertEquals(0, laptopAgain.files().missing());
            assertEquals(1, laptopAgain.files().unchanged());
            try (Warehouse warehouse = database.open()) {
                assertEquals(Map.of("laptop", "loaded", "container", "missing"),
                        warehouse.dsl().select(SOURCE_FILES.SOURCE_HOST, SOURCE_FILES.STATUS).from(SOURCE_FILES).fetchMap(SOURCE_FILES.SOURCE_HOST, SOURCE_FILES.STATUS));
                assertEquals(2, warehouse.dsl().fetchCount(SESSIONS));
            }
        }
    }

    @Test
    void statesFromBeforeHostsAreNeitherMarkedMissingNorPurgedNorReplacedByAnotherHost()
            throws Exception
    {
        FileSystem laptop = Jimfs.newFileSystem(Configuration.unix());
        FileSystem runner = Jimfs.newFileSystem(Configuration.unix());
        List<Path> corpus = corpusFiles();
        Path name = Path.of(ROOT).resolve("project/session.jsonl");
        write(laptop, name, corpus.get(0));
        write(runner, Path.of(ROOT).resolve("project/other.jsonl"), corpus.get(1));

        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
            load(database, laptop, "laptop");
            try (Warehouse warehouse = database.open()) {
                // what migration 13 leaves of a warehouse loaded before hosts were recorded
                warehouse.dsl().update(SOURCE_FILES).set(SOURCE_FILES.SOURCE_HOST, "").execute();
                warehouse.dsl().update(SESSIONS).setNull(SESSIONS.SOURCE_HOST).execute();
            }
            // another machine, where the laptop's file does not exist, loads the same root and purges
            assertEquals(0, load(database, runner, "runner").files().missing());
            try (Warehouse warehouse = database.open()) {
                SourceFileStore.Purge purge = new SourceFileStore(warehouse.dsl(), "runner").purgeMissing(Instant.now().plusSeconds(3600), false, path -> false);
                assertEquals(List.of(), purge.traceIds());
                assertEquals(List.of("loaded"), warehouse.dsl().select(SOURCE_FILES.STATUS).from(SOURCE_FILES).where(SOURCE_FILES.SOURCE_HOST.eq(""))
                        .fetch(SOURCE_FILES.STATUS));
                assertEquals(2, warehouse.dsl().fetchCount(SESSIONS));
            }
            // the laptop claims its state when it sees its file again
            assertEquals(1, load(database, laptop, "laptop").files().unchanged());
            try (Warehouse warehouse = database.open()) {
                assertEquals(0, warehouse.dsl().fetchCount(SOURCE_FILES, SOURCE_FILES.SOURCE_HOST.eq("")));
            }
        }
    }

    private static LoadReport load(TestDatabase database, FileSystem machine, String host)
            throws IOException
    {
        try (Warehouse warehouse = database.open()) {
            return new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), machine.getPath(ROOT))),
                    LoadOptions.INCREMENTAL.withSourceHost(host).withWaitForLock(), "test", LoadListener.NONE);
        }
    }

    /** Every session, message, tool call and usage row, without which host loaded it. */
    private static Map<String, Object> content(DSLContext dsl)
    {
        Map<String, String> rows = new TreeMap<>(WarehouseChecksum.of(dsl));
        rows.keySet().removeIf(key -> key.startsWith("sessions|") || key.startsWith("source_files|"));
        Map<String, Object> content = new TreeMap<>(rows);
        dsl.select(SESSIONS.TRACE_ID, SESSIONS.SOURCE_PATH, SESSIONS.MESSAGE_COUNT, SESSIONS.TOOL_CALL_COUNT, SESSIONS.STARTED_AT, SESSIONS.FINAL_ASSISTANT_MESSAGE)
                .from(SESSIONS)
                .forEach(row -> content.put("sessions|" + row.value1(), List.of(row.value2(), row.value3(), row.value4(), String.valueOf(row.value5()), String.valueOf(row.value6()))));
        return content;
    }

    /** The synthetic corpus's top-level session files. */
    private static List<Path> corpusFiles()
            throws IOException
    {
        Path projects = SharedFixtures.path("synthetic/claude_code/projects");
        try (Stream<Path> files = Files.walk(projects)) {
            return files.filter(file -> file.toString().endsWith(".jsonl") && !file.toString().contains("subagents")).sorted().toList();
        }
    }

    private static void copy(Path file, FileSystem machine)
            throws IOException
    {
        Path projects = SharedFixtures.path("synthetic/claude_code/projects");
        write(machine, Path.of(ROOT).resolve(projects.relativize(file).toString()), file);
    }

    private static void write(FileSystem machine, Path name, Path file)
            throws IOException
    {
        Path target = machine.getPath(name.toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
        Files.setLastModifiedTime(target, FileTime.fromMillis(1_750_000_000_000L));
    }
}
