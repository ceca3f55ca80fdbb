package dev.tracewh.devtools;

import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.load.LoadListener;
import dev.tracewh.load.LoadOptions;
import dev.tracewh.load.LoadReport;
import dev.tracewh.load.Loader;
import dev.tracewh.load.SecretsMode;
import dev.tracewh.load.SourceRoot;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.Warehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Benchmarks the loader on a corpus: parse-only throughput, then per database a full first load into a fresh
 * warehouse, a reload with nothing changed, and a reload after appending a turn to a fraction of the files (the
 * files are truncated back afterwards), then a full first load with secret scanning off into another fresh warehouse
 * (the price of the scanning the default load does; it runs second in the JVM, which favours it), and finally the
 * {@code psql \copy} floor on the PostgreSQL server. Given its
 * executable, ccusage's daily report runs over the same Claude Code corpus right after the parse-only phase, timed; its
 * JSON report of cost per UTC day then runs untimed and is compared with {@code v_cost_daily} after the first full load
 * (H2's, or PostgreSQL's when H2 is skipped).
 * Every phase runs in this JVM, so its heap limit is the one the numbers are for. Parsing is measured in a JVM that has
 * compiled nothing yet, and again once it has.
 */
public final class Benchmark
{
    static final String H2 = "H2";
    static final String POSTGRESQL = "PostgreSQL";
    private static final String H2_DATABASE_NAME = "bench";
    private static final long APPEND_SEED = 20_260_101;

    /** What to run: {@code h2Directory}, {@code postgres} and {@code ccusage} are empty for what is skipped. */
    public record Settings(Path corpus, CorpusFormat format, Optional<Path> h2Directory, Optional<PostgresTarget> postgres,
            Optional<Path> ccusage, double appendFraction)
    {
        public Settings
        {
            requireNonNull(corpus, "corpus is null");
            requireNonNull(format, "format is null");
            requireNonNull(h2Directory, "h2Directory is null");
            requireNonNull(postgres, "postgres is null");
            requireNonNull(ccusage, "ccusage is null");
            if (ccusage.isPresent() && format != CorpusFormat.CLAUDE_CODE) {
                throw new IllegalArgumentException("the ccusage baseline reads Claude Code corpora only, not " + format.id());
            }
            if (!(appendFraction > 0 && appendFraction <= 1)) {
                throw new IllegalArgumentException("appendFraction must be in (0, 1]: " + appendFraction);
            }
        }
    }

    /** One timed phase against one target; {@code failure} names what ended it early (an OutOfMemoryError, say). */
    public record Phase(String name, String target, ResourceUse use, int files, long bytes, String failure)
    {
        double megabytesPerSecond()
        {
            return use.seconds() <= 0 ? 0 : bytes / 1e6 / use.seconds();
        }
    }

    /** Everything measured; {@code warehouseBytes} is the size of each warehouse after its loads. */
    public record Report(Settings settings, int files, long bytes, int appendedFiles, long appendedBytes, List<Phase> phases,
            Map<String, Long> warehouseBytes, List<CopyBaseline.Result> copies, Optional<CcusageBaseline.Result> ccusage,
            Optional<CostComparison> costs)
    {
        public Report
        {
            phases = List.copyOf(phases);
            warehouseBytes = Collections.unmodifiableMap(new LinkedHashMap<>(warehouseBytes));
            copies = List.copyOf(copies);
            requireNonNull(ccusage, "ccusage is null");
            requireNonNull(costs, "costs is null");
        }

        Optional<Phase> phase(String name, String target)
        {
            return phases.stream().filter(phase -> phase.name().equals(name) && phase.target().equals(target)).findFirst();
        }
    }

    /** The first pass in this JVM: the JIT compiles the parsers while they run, as in a nightly load. */
    static final String PARSE_ONLY = "parse only";
    /** The fastest of {@value #WARM_PASSES} more passes, once the JIT has compiled the parsers: the steady state. */
    static final String PARSE_ONLY_WARM = "parse only, warm JIT";
    private static final int WARM_PASSES = 3;
    static final String FULL_LOAD = "full first load";
    static final String FULL_LOAD_SECRETS_OFF = "full load, secrets off";
    static final String UNCHANGED_RELOAD = "no-change reload";
    static final String APPEND_RELOAD = "reload after append";

    private final Settings settings;
    private final TraceFormat format;
    private final PrintWriter log;

    public Benchmark(Settings settings, PrintWriter log)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.format = settings.format().traceFormat();
        this.log = requireNonNull(log, "log is null");
    }

    public Report run()
            throws IOException, SQLException, InterruptedException
    {
        List<Path> files = format.discover(settings.corpus());
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no " + format.id() + " files below " + settings.corpus());
        }
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        List<Path> appended = appendTargets(files);
        log("corpus %s: %,d %s files, %.1f MB; appending to %,d of them", settings.corpus(), files.size(), format.id(), bytes / 1e6, appended.size());

        List<Phase> phases = new ArrayList<>();
        Map<String, Long> warehouseBytes = new LinkedHashMap<>();
        phases.add(parseOnly(PARSE_ONLY, files, bytes));
        phases.add(warmParseOnly(files, bytes));
        Optional<CcusageBaseline.Result> ccusage = Optional.empty();
        Optional<List<CostComparison.CcusageDay>> ccusageDays = Optional.empty();
        if (settings.ccusage().isPresent()) {
            CcusageBaseline baseline = new CcusageBaseline(settings.ccusage().get());
            log("ccusage daily --offline ...");
            ccusage = Optional.of(baseline.run(settings.corpus(), bytes));
            log("  %.1f s, %.1f MB/s", ccusage.get().seconds(), ccusage.get().megabytesPerSecond());
            log("ccusage %s (not timed) ...", String.join(" ", CcusageBaseline.COST_REPORT));
            ccusageDays = Optional.of(baseline.dailyCosts(settings.corpus()));
            log("  %,d days", ccusageDays.get().size());
        }
        CostComparison[] costs = new CostComparison[1];
        long[] appendedBytes = new long[1];
        if (settings.h2Directory().isPresent()) {
            Path directory = settings.h2Directory().get();
            Files.createDirectories(directory);
            Path databaseFile = directory.resolve(H2_DATABASE_NAME + ".mv.db");
            Files.deleteIfExists(databaseFile);
            Files.deleteIfExists(directory.resolve(H2_DATABASE_NAME + ".trace.db"));
            String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve(H2_DATABASE_NAME);
            phases.addAll(loads(H2, url, ResourceProbe::start, appended, appendedBytes, ccusageDays, costs));
            warehouseBytes.put(H2, Files.size(databaseFile));
            Path secretsOff = directory.resolve(H2_DATABASE_NAME + "-secrets-off");
            Files.deleteIfExists(Path.of(secretsOff + ".mv.db"));
            phases.add(loadWithSecretsOff(H2, "jdbc:h2:file:" + secretsOff.toAbsolutePath(), ResourceProbe::start));
            Files.deleteIfExists(Path.of(secretsOff + ".mv.db"));
        }
        List<CopyBaseline.Result> copies = new ArrayList<>();
        if (settings.postgres().isPresent()) {
            PostgresTarget postgres = settings.postgres().get();
            postgres.recreate();
            Supplier<ResourceProbe> probes = postgres.isOnThisMachine() ? ResourceProbe::startWithLocalPostgres : ResourceProbe::start;
            phases.addAll(loads(POSTGRESQL, postgres.jdbcUrl(), probes, appended, appendedBytes, ccusageDays, costs));
            warehouseBytes.put(POSTGRESQL, postgresTablesBytes(postgres));
            postgres.recreate();
            phases.add(loadWithSecretsOff(POSTGRESQL, postgres.jdbcUrl(), probes));
            CopyBaseline baseline = new CopyBaseline(postgres);
            for (CopyBaseline.Storage storage : CopyBaseline.Storage.values()) {
                log("psql \\copy, %s ...", storage.description());
                CopyBaseline.Result copy = baseline.copy(files, storage);
                log("  %.1f s, %.1f MB/s, table %.1f MB", copy.seconds(), copy.megabytesPerSecond(), copy.tableBytes() / 1e6);
                copies.add(copy);
            }
        }
        return new Report(settings, files.size(), bytes, appended.size(), appendedBytes[0], phases, warehouseBytes, copies, ccusage,
                Optional.ofNullable(costs[0]));
    }

    /** All files through the format's parser, one per core as the loader does, keeping nothing. */
    private Phase parseOnly(String name, List<Path> files, long bytes)
            throws InterruptedException
    {
        log("%s ...", name);
        ResourceProbe probe = ResourceProbe.start();
        ExecutorService parsers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        String failure = null;
        int issues = 0;
        try {
            List<Future<Integer>> parsed = new ArrayList<>(files.size());
            for (Path file : files) {
                parsed.add(parsers.submit(() -> parse(file).issues().size()));
            }
            for (Future<Integer> result : parsed) {
                issues += result.get();
            }
        }
        catch (ExecutionException e) {
            failure = e.getCause().toString();
        }
        finally {
            parsers.shutdownNow();
        }
        Phase phase = new Phase(name, "-", probe.stop(), files.size(), bytes,
                failure != null ? failure : issues > 0 ? issues + " parse issues" : null);
        logPhase(phase);
        return phase;
    }

    /** On two cores the JIT needs about two passes over 1 GB to compile the parsers fully; a JMH run would warm up likewise. */
    private Phase warmParseOnly(List<Path> files, long bytes)
            throws InterruptedException
    {
        Phase fastest = null;
        for (int pass = 0; pass < WARM_PASSES; pass++) {
            Phase phase = parseOnly(PARSE_ONLY_WARM, files, bytes);
            if (phase.failure() != null) {
                return phase;
            }
            if (fastest == null || phase.use().seconds() < fastest.use().seconds()) {
                fastest = phase;
            }
        }
        return fastest;
    }

    private ParsedFile parse(Path file)
            throws IOException
    {
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
    }

    /** A full first load with secret scanning off, into the fresh warehouse at {@code url}. */
    private Phase loadWithSecretsOff(String target, String url, Supplier<ResourceProbe> probes)
    {
        try (Warehouse warehouse = Warehouse.open(DatabaseUrl.parse(url))) {
            warehouse.migrate();
            return load(FULL_LOAD_SECRETS_OFF, target, probes, new Loader(warehouse, "bench"), List.of(new SourceRoot(format, settings.corpus())),
                    LoadOptions.INCREMENTAL.withSecrets(SecretsMode.OFF, LoadOptions.INCREMENTAL.secretRules()));
        }
    }

    /**
     * The three loads against one fresh warehouse, each measured by a new probe; a failed first load ends them. Given
     * ccusage's days and no comparison yet, the costs after the full first load are compared with them, between phases.
     */
    private List<Phase> loads(String target, String url, Supplier<ResourceProbe> probes, List<Path> appended, long[] appendedBytes,
            Optional<List<CostComparison.CcusageDay>> ccusageDays, CostComparison[] costs)
            throws IOException
    {
        List<Phase> phases = new ArrayList<>();
        List<SourceRoot> roots = List.of(new SourceRoot(format, settings.corpus()));
        try (Warehouse warehouse = Warehouse.open(DatabaseUrl.parse(url))) {
            warehouse.migrate();
            Loader loader = new Loader(warehouse, "bench");
            Phase full = load(FULL_LOAD, target, probes, loader, roots, LoadOptions.INCREMENTAL);
            phases.add(full);
            if (full.failure() != null) {
                return phases;
            }
            if (ccusageDays.isPresent() && costs[0] == null) {
                costs[0] = CostComparison.of(target, CostComparison.tracewhDays(warehouse.dsl()), ccusageDays.get());
                costs[0].summary().forEach(line -> log("%s", line));
            }
            phases.add(load(UNCHANGED_RELOAD, target, probes, loader, roots, LoadOptions.INCREMENTAL));
            List<FileState> originals = new ArrayList<>();
            for (Path file : appended) {
                originals.add(FileState.of(file));
            }
            try {
                appendedBytes[0] = CorpusGenerator.appendTurns(settings.format(), appended, APPEND_SEED).bytes();
                phases.add(load(APPEND_RELOAD, target, probes, loader, roots, LoadOptions.INCREMENTAL));
            }
            finally {
                for (FileState original : originals) {
                    original.restore();
                }
            }
        }
        return phases;
    }

    private Phase load(String name, String target, Supplier<ResourceProbe> probes, Loader loader, List<SourceRoot> roots, LoadOptions options)
    {
        log("%s, %s ...", name, target);
        ResourceProbe probe = probes.get();
        Phase phase;
        try {
            LoadReport report = loader.load(roots, options, "dev bench", LoadListener.NONE);
            String failure = report.status() == LoadRunStore.Status.SUCCEEDED ? null
                    : report.status().name().toLowerCase(Locale.ROOT) + ": " + report.files().failed() + " files failed, "
                            + report.files().errors() + " errors";
            phase = new Phase(name, target, probe.stop(), report.files().loaded(), report.files().bytesRead(), failure);
        }
        catch (OutOfMemoryError | RuntimeException | IOException e) {
            // an OutOfMemoryError is a result here: the phase ends, the benchmark goes on with the next database
            phase = new Phase(name, target, probe.stop(), 0, 0, e.toString());
        }
        logPhase(phase);
        return phase;
    }

    /** Every k-th file in discovery order, k = 1 / fraction: spread over projects, days and sizes. */
    private List<Path> appendTargets(List<Path> files)
    {
        int step = (int) Math.max(1, Math.round(1 / settings.appendFraction()));
        List<Path> targets = new ArrayList<>();
        for (int i = 0; i < files.size(); i += step) {
            targets.add(files.get(i));
        }
        return targets;
    }

    /** The size of the warehouse's tables, in the schema tracewh makes for them. */
    private static long postgresTablesBytes(PostgresTarget postgres)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl());
                Statement statement = connection.createStatement();
                ResultSet size = statement.executeQuery("""
                        select coalesce(sum(pg_total_relation_size(c.oid)), 0)
                        from pg_class c join pg_namespace n on n.oid = c.relnamespace
                        where n.nspname = '%s' and c.relkind in ('r', 'm')
                        """.formatted(DatabaseUrl.DEFAULT_SCHEMA))) {
            size.next();
            return size.getLong(1);
        }
    }

    private void logPhase(Phase phase)
    {
        ResourceUse use = phase.use();
        log("  %.1f s, %.1f MB/s, %,d files, peak heap %.0f MB, heap after GC %.0f MB, peak RSS %.0f MB%s", use.seconds(),
                phase.megabytesPerSecond(), phase.files(), use.peakHeapBytes() / 1e6, use.maxHeapAfterGcBytes() / 1e6,
                use.peakRssBytes() / 1e6, phase.failure() == null ? "" : " FAILED: " + phase.failure());
    }

    private void log(String format, Object... arguments)
    {
        log.printf(format + "%n", arguments);
        log.flush();
    }

    /** A file's size and modification time before the benchmark appended to it, to put it back afterwards. */
    private record FileState(Path path, long size, FileTime modifiedAt)
    {
        static FileState of(Path path)
                throws IOException
        {
            return new FileState(path, Files.size(path), Files.getLastModifiedTime(path));
        }

        void restore()
                throws IOException
        {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                channel.truncate(size);
            }
            Files.setLastModifiedTime(path, modifiedAt);
        }
    }
}
