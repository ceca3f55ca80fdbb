package dev.tracewh.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.UnreadablePath;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;
import dev.tracewh.secrets.SecretScanner;
import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.LoadLock;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.LockTimeoutException;
import dev.tracewh.warehouse.PriceMatches;
import dev.tracewh.warehouse.SourceFileStore;
import dev.tracewh.warehouse.TraceRows;
import dev.tracewh.warehouse.TraceWriter;
import dev.tracewh.warehouse.Warehouse;
import dev.tracewh.warehouse.WriteCounts;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Loads source files into the warehouse. Files are parsed in parallel (one per core) and written a batch of files
 * per transaction, holding their traces, their errors and their {@code source_files} states, so a crash leaves
 * neither rows without state nor state without rows. Batches are formed in plan order and written by one
 * connection on H2, two at a time on PostgreSQL ({@link LoadTuning}). A broken
 * line is an error row; a batch that cannot be written is retried file by file, and a file that still fails is
 * rolled back and recorded while the load goes on with the next.
 */
public final class Loader
{
    private final Warehouse warehouse;
    private final String toolVersion;
    private final LoadTuning tuning;
    private final Function<DatabaseUrl, Warehouse> connector;
    private final DiskSpace diskSpace;
    private final ObjectMapper mapper = new ObjectMapper();

    public Loader(Warehouse warehouse, String toolVersion)
    {
        this(warehouse, toolVersion, LoadTuning.of(warehouse.url().vendor()), Warehouse::open);
    }

    /** {@code connector} opens the writer connections of a PostgreSQL load (tests watch them). */
    Loader(Warehouse warehouse, String toolVersion, LoadTuning tuning, Function<DatabaseUrl, Warehouse> connector)
    {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.toolVersion = requireNonNull(toolVersion, "toolVersion is null");
        this.tuning = requireNonNull(tuning, "tuning is null");
        this.connector = requireNonNull(connector, "connector is null");
        this.diskSpace = DiskSpace.of(warehouse, tuning.minimumFreeDiskBytes());
        if (tuning.writers() > 1 && warehouse.url().vendor() != DatabaseUrl.Vendor.POSTGRESQL) {
            // only PostgreSQL transactions lock token usage ownership against each other (TraceWriter)
            throw new IllegalArgumentException("only PostgreSQL loads write through several connections");
        }
    }

    /**
     * What a load of {@code roots} would do, without writing anything. Files are known by their real path, however
     * they were reached (a linked root, a linked project folder); a state stored under a path through a link, as
     * older versions did, is read once more and moved to the real path. A path that cannot be read is left out of
     * the plan and listed as unreadable; a known file below it is then not marked missing.
     */
    public LoadPlan plan(List<SourceRoot> roots, LoadOptions options)
            throws IOException
    {
        SourceFileStore sourceFiles = new SourceFileStore(warehouse.dsl(), options.sourceHost());
        List<PlannedFile> plan = new ArrayList<>();
        List<UnreadablePath> unreadable = new ArrayList<>();
        Set<Path> planned = new HashSet<>();
        Map<String, Map<String, SourceFileStore.State>> knownByKind = new HashMap<>();
        Map<SourceRoot, Discovered> discovered = new LinkedHashMap<>();
        for (SourceRoot root : roots) {
            if (Files.exists(root.root())) {
                discovered.put(root, discover(root, options));
            }
        }
        Map<Path, SourceRoot> readBy = readers(discovered);
        for (SourceRoot root : roots) {
            Map<String, SourceFileStore.State> known = knownByKind.computeIfAbsent(root.format().id(), sourceFiles::findAll);
            FileSystem fileSystem = root.root().getFileSystem();
            if (!discovered.containsKey(root)) {
                long loadedBelow = known.values().stream().filter(state -> !state.missing() && fileSystem.getPath(state.path()).startsWith(root.root())).count();
                if (loadedBelow > 0) {
                    // a root that is gone whole is an unmounted disk or a renamed folder, not thousands of deleted sessions
                    unreadable.add(new UnreadablePath(root.root(), "it does not exist, but %,d files were loaded from it before: is a disk unmounted or a folder renamed? "
                            .formatted(loadedBelow) + "Nothing below it is marked missing"));
                }
                continue;
            }
            Path realRoot = root.root().toRealPath();
            List<UnreadablePath> unreadableBelowRoot = discovered.get(root).unreadable();
            Map<Path, BasicFileAttributes> found = new LinkedHashMap<>(discovered.get(root).found());
            found.keySet().removeIf(path -> planned.contains(path) || readBy.get(path) != root);
            Map<Path, SourceFileStore.State> throughLinks = statesThroughLinks(known, found.keySet(), fileSystem, root.root(), realRoot);
            for (Map.Entry<Path, BasicFileAttributes> file : found.entrySet()) {
                Path path = file.getKey();
                planned.add(path);
                long size = file.getValue().size();
                Instant modified = file.getValue().lastModifiedTime().toInstant();
                for (Path companion : root.format().companions(path)) {
                    // a write to a companion (a SQLite -wal) changes what the file yields: it counts as a change of the file
                    BasicFileAttributes attributes = companionAttributes(companion);
                    if (attributes != null) {
                        size += attributes.size();
                        modified = attributes.lastModifiedTime().toInstant().isAfter(modified) ? attributes.lastModifiedTime().toInstant() : modified;
                    }
                }
                // the warehouse keeps microseconds; compare at that precision
                Instant modifiedAt = modified.truncatedTo(ChronoUnit.MICROS);
                if (options.modifiedSince() != null && modifiedAt.isBefore(options.modifiedSince())) {
                    continue;
                }
                SourceFileStore.State state = known.get(path.toString());
                SourceFileStore.State throughLink = throughLinks.get(path);
                if (throughLink != null) {
                    // stored under a path through a link: read again, under its real path, in place of that state
                    planned.add(fileSystem.getPath(throughLink.path()));
                    plan.add(new PlannedFile(path, root.format(), root.format().id(), FileAction.CHANGED, size, modifiedAt, throughLink));
                    continue;
                }
                plan.add(new PlannedFile(path, root.format(), root.format().id(), action(state, size, modifiedAt, options), size, modifiedAt, state));
            }
            for (UnreadablePath each : unreadableBelowRoot) {
                unreadable.add(new UnreadablePath(each.path().toAbsolutePath().normalize(), each.reason()));
            }
            for (SourceFileStore.State state : known.values()) {
                Path path = fileSystem.getPath(state.path());
                // an unclaimed state may be another machine's file: only this host's states go missing
                if ((path.startsWith(root.root()) || path.startsWith(realRoot)) && options.shard().contains(path) && !planned.contains(path)
                        && state.claimed() && !state.missing() && !below(path, unreadable) && !Files.exists(path)) {
                    planned.add(path);
                    plan.add(new PlannedFile(path, null, state.sourceKind(), FileAction.MISSING, state.sizeBytes(), state.modifiedAt(), state));
                }
            }
        }
        return new LoadPlan(plan, unreadable);
    }

    /** A companion's attributes, or null when it does not exist (a -wal comes and goes with checkpoints). */
    private static BasicFileAttributes companionAttributes(Path companion)
    {
        try {
            return Files.readAttributes(companion, BasicFileAttributes.class);
        }
        catch (IOException goneOrUnreadable) {
            return null;
        }
    }

    /** A root's files by real path, with their attributes, and what below it could not be read. */
    private record Discovered(Map<Path, BasicFileAttributes> found, List<UnreadablePath> unreadable) {}

    private static Discovered discover(SourceRoot root, LoadOptions options)
            throws IOException
    {
        List<UnreadablePath> unreadable = new ArrayList<>();
        Map<Path, BasicFileAttributes> found = new LinkedHashMap<>();
        for (Path file : root.format().discover(root.root(), unreadable::add)) {
            try {
                Path path = file.toRealPath();
                if (options.shard().contains(path) && !found.containsKey(path)) {
                    found.put(path, Files.readAttributes(path, BasicFileAttributes.class));
                }
            }
            catch (IOException e) {
                unreadable.add(UnreadablePath.of(file, e));
            }
        }
        return new Discovered(found, unreadable);
    }

    /**
     * The root that reads each file. A file found by one format is read by it; a file several formats found (a
     * {@code --path} given without {@code --format}: every agent but ATIF writes {@code .jsonl}) goes to the first
     * of them that recognizes its content, or, when none does, to the first that found it, which reports what is
     * wrong with it.
     */
    private Map<Path, SourceRoot> readers(Map<SourceRoot, Discovered> discovered)
    {
        Map<Path, List<SourceRoot>> finders = new HashMap<>();
        discovered.forEach((root, files) -> files.found().keySet()
                .forEach(path -> finders.computeIfAbsent(path, ignored -> new ArrayList<>()).add(root)));
        Map<Path, SourceRoot> readers = new HashMap<>();
        finders.forEach((path, roots) -> readers.put(path, roots.size() == 1 ? roots.getFirst() : recognizing(path, roots)));
        return readers;
    }

    private SourceRoot recognizing(Path file, List<SourceRoot> roots)
    {
        FileHead head;
        try {
            head = FileHead.read(file, mapper);
        }
        catch (IOException unreadableNow) {
            return roots.getFirst();
        }
        return roots.stream().filter(root -> root.format().recognizes(file, head)).findFirst().orElse(roots.getFirst());
    }

    /**
     * The known states below {@code root} stored under a path through a link that leads to a file {@code found} under
     * no state of its own, by that file's real path. Only states whose path was not found are resolved: on a load
     * where nothing moved there are none.
     */
    private static Map<Path, SourceFileStore.State> statesThroughLinks(Map<String, SourceFileStore.State> known, Set<Path> found, FileSystem fileSystem,
            Path root, Path realRoot)
    {
        Map<Path, SourceFileStore.State> throughLinks = new HashMap<>();
        for (SourceFileStore.State state : known.values()) {
            Path path = fileSystem.getPath(state.path());
            if (state.missing() || found.contains(path) || !(path.startsWith(root) || path.startsWith(realRoot))) {
                continue;
            }
            try {
                Path real = path.toRealPath();
                if (!real.equals(path) && found.contains(real) && !known.containsKey(real.toString())) {
                    throughLinks.put(real, state);
                }
            }
            catch (IOException goneOrUnreadable) {
                // the missing files' loop below deals with it
            }
        }
        return throughLinks;
    }

    private static boolean below(Path path, List<UnreadablePath> unreadable)
    {
        return unreadable.stream().anyMatch(each -> path.startsWith(each.path()));
    }

    /** A file whose rows were stored in another secrets mode or with other rules is read again, so they are stored as asked. */
    private static FileAction action(SourceFileStore.State state, long size, Instant modifiedAt, LoadOptions options)
    {
        if (state == null) {
            return FileAction.NEW;
        }
        if (state.sizeBytes() == size && state.modifiedAt().equals(modifiedAt)) {
            boolean storedAsAsked = options.secretsStamp().equals(state.secrets() == null ? LoadOptions.SECRETS_NOT_LOOKED_FOR : state.secrets());
            return options.fullRefresh() || !storedAsAsked ? FileAction.CHANGED : FileAction.UNCHANGED;
        }
        return size > state.sizeBytes() ? FileAction.GROWN : FileAction.CHANGED;
    }

    /**
     * Loads {@code roots} under the lock of the options' scope.
     *
     * @throws LoadLockedException when another load of the scope runs and the options do not wait
     */
    public LoadReport load(List<SourceRoot> roots, LoadOptions options, String arguments, LoadListener listener)
            throws IOException
    {
        String holder = ProcessHandle.current().pid() + "@" + LoadOptions.thisMachine();
        String lockScope = options.shard().lockScope(options.sourceHost());
        try (LoadLock lock = LoadLock.acquire(warehouse.url(), lockScope, holder, options.waitForLock(), listener::waiting)
                .orElseThrow(() -> new LoadLockedException("another load holds the warehouse lock '" + lockScope
                        + "' (use --wait to wait for it)"))) {
            return loadLocked(roots, options, arguments, listener);
        }
    }

    private LoadReport loadLocked(List<SourceRoot> roots, LoadOptions options, String arguments, LoadListener listener)
            throws IOException
    {
        long startNanos = System.nanoTime();
        warehouse.useAsynchronousCommit();
        LoadRunStore runs = new LoadRunStore(warehouse.dsl());
        String lockScope = options.shard().lockScope(options.sourceHost());
        runs.markInterrupted(lockScope);
        SecretsPass secrets = secretsPass(options);
        long runId = runs.start(arguments, lockScope, options.sourceHost(), toolVersion, warehouse.schemaVersion(), options.secretsSetting());
        listener.runStarted(runId);
        Progress progress = new Progress();
        int scanned = 0;
        LoadRunStore.Status status;
        List<String> unpricedModels;
        try {
            listener.discovering();
            LoadPlan plan = plan(roots, options);
            scanned = plan.files().size() + plan.unreadable().size();
            for (UnreadablePath unreadable : plan.unreadable()) {
                runs.recordError(runId, unreadable.path().toString(), null, "unreadable_path", "cannot read " + unreadable.path() + ": " + unreadable.reason(), null);
                progress.failedFiles++;
                progress.errors++;
            }
            List<PlannedFile> toRead = plan.files().stream().filter(file -> file.action().reads()).toList();
            listener.started(toRead.size(), toRead.stream().mapToLong(PlannedFile::sizeBytes).sum());
            readAndWrite(runId, toRead, options, secrets, progress, listener);
            finishUnreadFiles(runId, plan.files(), options, progress);
            if (progress.loadedFiles > 0) {
                analyze(progress);
            }
            // only inserted usage rows can bring a model name not seen before
            unpricedModels = progress.rows.tokenRowsInserted() > 0 ? new PriceMatches(warehouse.dsl()).matchNewModels() : List.of();
            status = progress.failedFiles > 0 || progress.errors > 0 ? LoadRunStore.Status.PARTIAL : LoadRunStore.Status.SUCCEEDED;
        }
        catch (RuntimeException | IOException e) {
            try {
                runs.fail(runId, progress.fileCounts(scanned), progress.rows, seconds(startNanos), secrets.redact(describe(e)));
            }
            catch (RuntimeException recordFailed) {
                e.addSuppressed(recordFailed);
            }
            throw e;
        }
        double seconds = seconds(startNanos);
        runs.finish(runId, status, progress.fileCounts(scanned), progress.rows, seconds);
        return new LoadReport(runId, status, progress.fileCounts(scanned), progress.rows,
                progress.traces, progress.messages, progress.toolCalls, progress.tokens, progress.replacedCharacters, seconds,
                progress.warnings, unpricedModels);
    }

    private SecretsPass secretsPass(LoadOptions options)
    {
        if (options.secretsMode() == SecretsMode.OFF) {
            return SecretsPass.off(mapper);
        }
        return new SecretsPass(options.secretsMode(), SecretScanner.of(options.secretRules()), mapper);
    }

    /** Statistics help the next loads plan; a refresh that fails (a statement timeout, say) leaves a finished load finished. */
    private void analyze(Progress progress)
    {
        try {
            warehouse.analyze();
        }
        catch (RuntimeException e) {
            progress.warnings.add("could not refresh the planner statistics after the load (the load itself is complete): " + describe(e));
        }
    }

    /** The failure's message and, when a wrapper hides it (jOOQ's "Error while running ConnectionCallable"), its cause's. */
    private static String describe(Throwable failure)
    {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        Throwable cause = failure.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            return message + ": " + describe(cause);
        }
        return message;
    }

    private void finishUnreadFiles(long runId, List<PlannedFile> plan, LoadOptions options, Progress progress)
    {
        SourceFileStore sourceFiles = new SourceFileStore(warehouse.dsl(), options.sourceHost());
        List<String> unchanged = new ArrayList<>();
        for (PlannedFile file : plan) {
            if (file.action() == FileAction.UNCHANGED) {
                unchanged.add(file.path().toString());
                progress.unchangedFiles++;
            }
            else if (file.action() == FileAction.MISSING) {
                sourceFiles.markMissing(runId, file.path().toString());
                progress.missingFiles++;
            }
        }
        sourceFiles.touch(unchanged);
    }

    private void readAndWrite(long runId, List<PlannedFile> files, LoadOptions options, SecretsPass secrets, Progress progress, LoadListener listener)
            throws IOException
    {
        int parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService parsers = Executors.newFixedThreadPool(parallelism, daemonThreads("tracewh-parser"));
        try (Writers writers = tuning.writers() == 1 ? Writers.of(warehouse) : Writers.connect(connector, warehouse.url(), tuning.writers())) {
            new Pipeline(runId, options, secrets, parsers, writers, progress, listener).run(files);
        }
        finally {
            parsers.shutdownNow();
        }
    }

    /**
     * Files on their way from the parsers to the writers, in plan order. The source bytes of files parsed but not
     * yet written stay within the read-ahead, whether they wait for a parser, for their batch to fill or for a
     * writer. The load's thread forms the batches and counts them when written, in the order it handed them out.
     */
    private final class Pipeline
    {
        private final long runId;
        private final LoadOptions options;
        private final SecretsPass secrets;
        private final ExecutorService parsers;
        private final Writers writers;
        private final Batch batch = new Batch(tuning.batchFiles(), tuning.batchBytes());
        private final Progress progress;
        private final LoadListener listener;
        private final Deque<Future<Parsed>> parsing = new ArrayDeque<>();
        private final Deque<WritingBatch> writing = new ArrayDeque<>();
        private long unwrittenBytes;

        Pipeline(long runId, LoadOptions options, SecretsPass secrets, ExecutorService parsers, Writers writers, Progress progress, LoadListener listener)
        {
            this.runId = runId;
            this.options = options;
            this.secrets = secrets;
            this.parsers = parsers;
            this.writers = writers;
            this.progress = progress;
            this.listener = listener;
        }

        void run(List<PlannedFile> files)
                throws IOException
        {
            long analyzeAt = 64;
            int next = 0;
            while (next < files.size() || !parsing.isEmpty()) {
                // a file larger than the read-ahead still goes, once everything before it is written
                while (next < files.size()
                        && (unwrittenBytes + files.get(next).sizeBytes() <= tuning.readAheadBytes() || unwrittenBytes == 0)) {
                    PlannedFile file = files.get(next++);
                    unwrittenBytes += file.sizeBytes();
                    parsing.add(parsers.submit(() -> parse(file, runId, options, secrets)));
                }
                if (parsing.isEmpty()) {
                    // the read-ahead is all in batches: the oldest must be written before more files are parsed
                    finishOldest();
                    continue;
                }
                Parsed parsed = await(parsing.removeFirst());
                if (!batch.accepts(parsed)) {
                    write(batch.drain());
                }
                batch.add(parsed);
                if (batch.isFull() || parsing.isEmpty()) {
                    write(batch.drain());
                }
                if (progress.loadedFiles >= analyzeAt) {
                    // the tables grow from what the planner last saw: refresh its statistics at 64, 128, 256... files
                    analyze(progress);
                    analyzeAt = Long.highestOneBit(progress.loadedFiles) * 2;
                }
            }
            while (!writing.isEmpty()) {
                finishOldest();
            }
        }

        /**
         * Hands a batch to a free writer. A batch waits for the batches being written before it when all writers
         * are busy, or when it shares a trace with one of them: two transactions inserting the same session would
         * block each other, and the second would then fail on the first's key.
         */
        private void write(Batch.Drained drained)
                throws IOException
        {
            while (!writing.isEmpty()
                    && (writing.size() >= writers.count() || writing.stream().anyMatch(other -> !Collections.disjoint(other.batch().traceIds(), drained.traceIds())))) {
                finishOldest();
            }
            diskSpace.check(drained.bytes());
            writing.add(new WritingBatch(drained, writers.submit(writer -> writeBatch(writer, runId, options, secrets, drained.files()))));
        }

        private void finishOldest()
                throws IOException
        {
            WritingBatch oldest = writing.removeFirst();
            Written written = await(oldest.result());
            unwrittenBytes -= oldest.batch().bytes();
            progress.rows = progress.rows.plus(written.rows());
            for (Parsed parsed : written.loaded()) {
                progress.count(parsed.result(), parsed.file());
                listener.fileDone(parsed.file());
            }
            for (Parsed parsed : written.failed()) {
                progress.failedFiles++;
                progress.errors++;
                listener.fileDone(parsed.file());
            }
        }
    }

    private record WritingBatch(Batch.Drained batch, Future<Written> result) {}

    /** What writing files came to: the rows written, the files loaded and the files that could not be written. */
    private record Written(WriteCounts rows, List<Parsed> loaded, List<Parsed> failed)
    {
        static final Written NOTHING = new Written(WriteCounts.ZERO, List.of(), List.of());

        static Written loaded(WriteCounts rows, List<Parsed> files)
        {
            return new Written(rows, files, List.of());
        }

        static Written failed(Parsed file)
        {
            return new Written(WriteCounts.ZERO, List.of(), List.of(file));
        }

        Written plus(Written other)
        {
            return new Written(rows.plus(other.rows), concat(loaded, other.loaded), concat(failed, other.failed));
        }

        private static List<Parsed> concat(List<Parsed> first, List<Parsed> second)
        {
            List<Parsed> both = new ArrayList<>(first);
            both.addAll(second);
            return both;
        }
    }

    /**
     * A file's parse result (its text as it is to be stored) and its traces as rows with the secrets found in them, or
     * the reason it could not be read.
     */
    private record Parsed(PlannedFile file, ParsedFile result, List<TraceRows> rows, Exception failure)
    {
        static Parsed failed(PlannedFile file, Exception failure)
        {
            return new Parsed(file, null, List.of(), failure);
        }
    }

    /**
     * Parsed files written together in one transaction, so small files share its statements and its commit.
     * A trace id appears at most once in a batch (the writer merges a trace once per transaction). H2 takes
     * small batches: on the 1 GB benchmark corpus, 64-file batches loaded at 27 MB/s with the heap at its limit,
     * 8-file ones at 31 MB/s with room to spare.
     */
    private static final class Batch
    {
        private final int maxFiles;
        private final long maxBytes;
        private final List<Parsed> files = new ArrayList<>();
        private final Set<String> traceIds = new HashSet<>();
        private long bytes;

        Batch(int maxFiles, long maxBytes)
        {
            this.maxFiles = maxFiles;
            this.maxBytes = maxBytes;
        }

        boolean accepts(Parsed parsed)
        {
            return parsed.rows().stream().noneMatch(rows -> traceIds.contains(rows.traceId()));
        }

        void add(Parsed parsed)
        {
            files.add(parsed);
            parsed.rows().forEach(rows -> traceIds.add(rows.traceId()));
            bytes += parsed.file().sizeBytes();
        }

        boolean isFull()
        {
            return files.size() >= maxFiles || bytes >= maxBytes;
        }

        Drained drain()
        {
            Drained drained = new Drained(List.copyOf(files), Set.copyOf(traceIds), bytes);
            files.clear();
            traceIds.clear();
            bytes = 0;
            return drained;
        }

        /** A batch's files, with their trace ids and source bytes. */
        record Drained(List<Parsed> files, Set<String> traceIds, long bytes) {}
    }

    /**
     * Runs on a parser thread: parsing and making rows are the CPU work, writing is left to the writer. A file of an
     * append-only format must still start with what its last load consumed, unless the options replace changed files.
     */
    private Parsed parse(PlannedFile file, long runId, LoadOptions options, SecretsPass secrets)
    {
        SourceFileStore.State previous = file.previous();
        boolean guarded = previous != null && previous.consumedBytes() > 0 && file.format().appendOnly() && !options.replaceChanged();
        ReadOptions read = new ReadOptions(options.maxLineBytes(), guarded ? previous.consumedBytes() : 0, secrets::excerpt, resumeCursor(file, options));
        try (InputStream input = Files.newInputStream(file.path())) {
            ParsedFile parsed = file.format().parse(file.path(), input, read);
            if (guarded && !previous.contentHash().equals(parsed.checkpointSha256())) {
                return Parsed.failed(file, changedUnderneath(previous, parsed));
            }
            List<Trace> traces = new ArrayList<>(parsed.traces().size());
            List<TraceRows> rows = new ArrayList<>(parsed.traces().size());
            for (Trace trace : parsed.traces()) {
                SecretsPass.Result stored = scan(secrets, trace);
                traces.add(stored.trace());
                rows.add(TraceRows.of(stored.trace(), options.sourceHost(), stored.findings(), mapper));
            }
            ParsedFile result = new ParsedFile(traces, parsed.issues().stream().map(secrets::apply).toList(), parsed.consumedBytes(),
                    parsed.consumedSha256(), parsed.checkpointSha256(), parsed.replacedCharacters(), parsed.cursor());
            if (file.action() == FileAction.NEW && warehouse.url().vendor() == DatabaseUrl.Vendor.POSTGRESQL) {
                // the traces of a new file are new: encode their rows here rather than on the writer thread
                rows.forEach(trace -> trace.prepareCopy(runId));
            }
            return new Parsed(file, result, rows, null);
        }
        catch (IOException | RuntimeException | RejectedFileException e) {
            return Parsed.failed(file, e);
        }
        catch (OutOfMemoryError | StackOverflowError e) {
            // what the parse held is garbage now: the file fails, the load goes on
            return Parsed.failed(file, new RejectedFileException("parse_failed",
                    "parsing the file ran out of " + (e instanceof OutOfMemoryError ? "memory" : "stack") + " (" + e + "); "
                            + "give the load a larger heap (TRACEWH_JAVA_OPTS=-Xmx...) or a smaller --max-line-bytes"));
        }
    }

    /**
     * The cursor the file's last load returned, so its format may read only what changed since; none when every stored
     * row must be written again: a full refresh, rows stored in another secrets mode, a state stored under another path.
     */
    private static String resumeCursor(PlannedFile file, LoadOptions options)
    {
        SourceFileStore.State previous = file.previous();
        if (previous == null || options.fullRefresh() || !previous.path().equals(file.path().toString())
                || !options.secretsStamp().equals(previous.secrets() == null ? LoadOptions.SECRETS_NOT_LOOKED_FOR : previous.secrets())) {
            return null;
        }
        return previous.resumeCursor();
    }

    /** A scanner that fails on a text fails its file with a class of its own: the file parsed, and a load without scanning reads it. */
    private static SecretsPass.Result scan(SecretsPass secrets, Trace trace)
            throws RejectedFileException
    {
        try {
            return secrets.apply(trace);
        }
        catch (RuntimeException | StackOverflowError e) {
            throw new RejectedFileException("secrets_scan_failed", "looking for secrets in session " + trace.traceId() + " failed (" + e
                    + "); the file is not loaded. A load with --secrets off stores it as it is");
        }
    }

    private static RejectedFileException changedUnderneath(SourceFileStore.State previous, ParsedFile result)
    {
        String keep = " Its stored sessions are kept. If the file was replaced on purpose, load it with --replace-changed.";
        if (result.checkpointSha256() == null) {
            return new RejectedFileException("file_shrank", "the file now holds %,d bytes of complete lines, fewer than the %,d bytes an earlier load read: it was truncated, emptied or zeroed."
                    .formatted(result.consumedBytes(), previous.consumedBytes()) + keep);
        }
        return new RejectedFileException("file_rewritten", "the file's first %,d bytes are no longer those an earlier load read: it was rewritten, corrupted or restored from an older copy."
                .formatted(previous.consumedBytes()) + keep);
    }

    private static <T> T await(Future<T> future)
            throws IOException
    {
        try {
            return future.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("load interrupted", e);
        }
        catch (ExecutionException e) {
            // parse() and writeBatch() turn a file's failure into a result; what escapes them (the warehouse gone
            // while a failure is recorded, an Error such as out of memory) fails the load
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("a load thread died: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Writes a batch of parsed files in one transaction with their errors and {@code source_files} states. When
     * it fails, each file is written again on its own, so one file that cannot be written costs only itself. When
     * the connection itself is gone, nothing is retried on it: {@link WriterConnectionLostException}.
     */
    private Written writeBatch(Warehouse writer, long runId, LoadOptions options, SecretsPass secrets, List<Parsed> batch)
    {
        Written written = Written.NOTHING;
        List<Parsed> readable = new ArrayList<>();
        Map<String, TraceWriter.Source> owners = new TraceWriter(writer.dsl(), runId, options.fullRefresh(), tuning.usageLockTimeout())
                .sources(batch.stream().flatMap(parsed -> parsed.rows().stream()).map(TraceRows::traceId).toList());
        for (Parsed parsed : batch) {
            Exception failure = parsed.failure() != null ? parsed.failure() : heldElsewhere(parsed, options.sourceHost(), owners);
            if (failure != null) {
                written = written.plus(fileFailed(writer, runId, parsed, failure, secrets));
            }
            else {
                readable.add(parsed);
            }
        }
        if (readable.isEmpty()) {
            return written;
        }
        try {
            WriteCounts rows = writer.dsl().transactionResult(configuration -> writeInTransaction(DSL.using(configuration), runId, options, readable));
            return written.plus(Written.loaded(rows, readable));
        }
        catch (LockTimeoutException e) {
            throw e;
        }
        catch (RuntimeException e) {
            if (!writer.isConnected()) {
                throw new WriterConnectionLostException(writer.url(), e);
            }
            if (readable.size() == 1) {
                return written.plus(fileFailed(writer, runId, readable.getFirst(), e, secrets));
            }
            for (Parsed parsed : readable) {
                written = written.plus(writeBatch(writer, runId, options, secrets, List.of(parsed)));
            }
            return written;
        }
    }

    /**
     * A session already stored from another file that still exists stays with that file: this copy (a backup, a
     * copied folder) is refused, whatever the load order. When the owning file is gone (Codex moves a rollout to
     * archived_sessions, a folder was moved), or when its format says this file supersedes it (Hermes keeps a session in
     * state.db once it exists, not in its JSON files), the session moves to this file. A session loaded on another host
     * stays with that host's file: its disk cannot be looked at from here.
     */
    private static RejectedFileException heldElsewhere(Parsed parsed, String sourceHost, Map<String, TraceWriter.Source> owners)
    {
        PlannedFile file = parsed.file();
        String path = file.path().toString();
        String formerPath = file.previous() == null ? null : file.previous().path();
        for (TraceRows rows : parsed.rows()) {
            TraceWriter.Source owner = owners.get(rows.traceId());
            if (owner == null || owner.path().equals(formerPath) || owner.path().equals(path) && (owner.host() == null || owner.host().equals(sourceHost))) {
                continue;
            }
            if (owner.host() != null && !owner.host().equals(sourceHost)) {
                return new RejectedFileException("duplicate_session", "session " + rows.traceId() + " is already loaded from " + owner.path() + " on host "
                        + owner.host() + "; this file (" + path + " on " + sourceHost + ") holds another copy of it and is not loaded. "
                        + "The session stays with the file that first held it.");
            }
            Path ownerPath = file.path().getFileSystem().getPath(owner.path());
            if (Files.exists(ownerPath) && !file.format().supersedes(file.path(), ownerPath)) {
                return new RejectedFileException("duplicate_session", "session " + rows.traceId() + " is already loaded from " + owner.path()
                        + ", which still exists; this file (" + path + ") holds another copy of it and is not loaded. "
                        + "The session stays with the file that first held it.");
            }
        }
        return null;
    }

    private WriteCounts writeInTransaction(DSLContext transaction, long runId, LoadOptions options, List<Parsed> batch)
    {
        TraceWriter writer = new TraceWriter(transaction, runId, options.fullRefresh(), tuning.usageLockTimeout());
        SourceFileStore sourceFiles = new SourceFileStore(transaction, options.sourceHost());
        WriteCounts written = writer.write(batch.stream().flatMap(parsed -> parsed.rows().stream()).toList());
        LoadRunStore runs = new LoadRunStore(transaction);
        List<SourceFileStore.Loaded> loaded = new ArrayList<>(batch.size());
        for (Parsed parsed : batch) {
            PlannedFile file = parsed.file();
            String path = file.path().toString();
            ParsedFile result = parsed.result();
            if (file.action() != FileAction.NEW && !file.format().keepsDroppedSessions()) {
                // a replaced or snapshot file may no longer hold every trace it held before
                written = written.plus(writer.deleteOtherTraces(options.sourceHost(), path, result.traces().stream().map(Trace::traceId).toList()));
            }
            if (file.previous() != null && !file.previous().path().equals(path)) {
                // the state was stored under a path through a link: the real path's state takes its place
                sourceFiles.forget(file.previous().path());
            }
            for (ParseIssue issue : result.issues()) {
                runs.recordError(runId, path, issue.lineNumber(), issue.errorClass(), issue.message(), issue.excerpt());
            }
            // a format that keeps sessions its file no longer yields (or did not read again) holds more than it yielded
            int traceCount = file.format().keepsDroppedSessions() ? sourceFiles.sessionCount(path) : result.traces().size();
            loaded.add(new SourceFileStore.Loaded(new SourceFileStore.State(path, file.sourceKind(), file.sizeBytes(), file.modifiedAt(),
                    result.consumedSha256(), result.consumedBytes(), false, true, options.secretsStamp(), result.cursor()), traceCount,
                    result.issues().size()));
        }
        sourceFiles.saveLoaded(runId, loaded);
        return written;
    }

    /** Records why a file failed; a parser's message may quote the file's text, so it is redacted like the text. */
    private static Written fileFailed(Warehouse writer, long runId, Parsed parsed, Exception failure, SecretsPass secrets)
    {
        String errorClass = failure instanceof RejectedFileException rejected ? rejected.errorClass() : failure.getClass().getSimpleName();
        new LoadRunStore(writer.dsl()).recordError(runId, parsed.file().path().toString(), null, errorClass, secrets.redact(describe(failure)), null);
        return Written.failed(parsed);
    }

    private static ThreadFactory daemonThreads(String name)
    {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static double seconds(long startNanos)
    {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * The connections batches are written through, one batch per connection at a time, each on its own thread so
     * the load's thread goes on collecting parsed files. H2 loads write through the warehouse's own connection:
     * an embedded H2 does its writing on the calling thread, and a second writer would wait on the first.
     */
    private static final class Writers
            implements AutoCloseable
    {
        private final int count;
        private final BlockingQueue<Warehouse> idle;
        private final List<Warehouse> opened;
        private final ExecutorService threads;

        private final DatabaseUrl url;
        private final Function<DatabaseUrl, Warehouse> connector;

        private Writers(List<Warehouse> connections, List<Warehouse> opened, DatabaseUrl url, Function<DatabaseUrl, Warehouse> connector)
        {
            this.count = connections.size();
            this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
            this.opened = new CopyOnWriteArrayList<>(opened);
            this.threads = Executors.newFixedThreadPool(connections.size(), daemonThreads("tracewh-writer"));
            this.url = url;
            this.connector = connector;
        }

        static Writers of(Warehouse warehouse)
        {
            return new Writers(List.of(warehouse), List.of(), null, null);
        }

        static Writers connect(Function<DatabaseUrl, Warehouse> connector, DatabaseUrl url, int count)
        {
            List<Warehouse> opened = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    opened.add(open(connector, url));
                }
            }
            catch (RuntimeException e) {
                opened.forEach(Warehouse::close);
                throw e;
            }
            return new Writers(opened, opened, url, connector);
        }

        private static Warehouse open(Function<DatabaseUrl, Warehouse> connector, DatabaseUrl url)
        {
            Warehouse writer = connector.apply(url);
            writer.useAsynchronousCommit();
            return writer;
        }

        int count()
        {
            return count;
        }

        /**
         * Runs {@code work} on a free connection. A connection of its own that is lost (its backend terminated, a
         * network cut) is replaced and the work done again, once; the load's own connection (H2) is not replaced.
         */
        <T> Future<T> submit(Function<Warehouse, T> work)
        {
            return threads.submit(() -> {
                Warehouse writer = idle.take();
                try {
                    return work.apply(writer);
                }
                catch (RuntimeException e) {
                    if (connector == null || writer.isConnected()) {
                        throw e;
                    }
                    opened.remove(writer);
                    closeQuietly(writer);
                    writer = open(connector, url);
                    opened.add(writer);
                    return work.apply(writer);
                }
                finally {
                    idle.add(writer);
                }
            });
        }

        private static void closeQuietly(Warehouse lost)
        {
            try {
                lost.close();
            }
            catch (RuntimeException alreadyGone) {
                // the connection is what failed; its close has nothing to add
            }
        }

        /** Waits for the batches still being written (a failing load rolls nothing back half-way), then disconnects. */
        @Override
        public void close()
        {
            threads.shutdown();
            try {
                threads.awaitTermination(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
            }
            catch (InterruptedException e) {
                threads.shutdownNow();
                Thread.currentThread().interrupt();
            }
            opened.forEach(Warehouse::close);
        }
    }

    /** Running totals of one load; touched by the writing thread only. */
    private static final class Progress
    {
        int loadedFiles;
        int unchangedFiles;
        int failedFiles;
        int missingFiles;
        int errors;
        long bytesRead;
        long traces;
        long messages;
        long toolCalls;
        long tokens;
        long replacedCharacters;
        WriteCounts rows = WriteCounts.ZERO;
        final List<String> warnings = new ArrayList<>();

        void count(ParsedFile result, PlannedFile file)
        {
            loadedFiles++;
            bytesRead += file.sizeBytes();
            errors += result.issues().size();
            replacedCharacters += result.replacedCharacters();
            for (Trace trace : result.traces()) {
                traces++;
                messages += trace.messageCount();
                toolCalls += trace.toolCallCount();
                tokens += trace.tokenUsage().stream().mapToLong(TokenUsage::totalTokens).sum();
            }
        }

        LoadRunStore.FileCounts fileCounts(int scanned)
        {
            return new LoadRunStore.FileCounts(scanned, loadedFiles, unchangedFiles, failedFiles, missingFiles, errors, bytesRead);
        }
    }
}
