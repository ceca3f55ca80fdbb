package dev.tracewh.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;
import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.LoadLock;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.SourceFileStore;
import dev.tracewh.warehouse.TraceRows;
import dev.tracewh.warehouse.TraceWriter;
import dev.tracewh.warehouse.Warehouse;
import dev.tracewh.warehouse.WriteCounts;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * Loads source files into the warehouse. Files are parsed in parallel (one per core) and written in plan
 * order by this thread, a batch of files per transaction holding their traces, their errors and their
 * {@code source_files} states, so a crash leaves neither rows without state nor state without rows. A broken
 * line is an error row; a batch that cannot be written is retried file by file, and a file that still fails is
 * rolled back and recorded while the load goes on with the next.
 */
public final class Loader
{
    /**
     * Source bytes parsed ahead of the writer; a parsed file takes up to ten times its size in memory. PostgreSQL
     * loads wait on the server, and parsers that run further ahead keep its queue full (1 GB benchmark: 14.9-15.2 s
     * with 32 MB against 16.5 s with 16, peak heap 368-394 MB of 512). H2 loads wait on H2's writer, where more
     * read-ahead only holds more memory.
     */
    private static final long POSTGRES_READ_AHEAD_BYTES = 32L << 20;
    private static final long H2_READ_AHEAD_BYTES = 16L << 20;
    /** Files per transaction: PostgreSQL takes large ones; see {@link Batch} for H2's smaller ones. */
    private static final int POSTGRES_BATCH_FILES = 64;
    private static final long POSTGRES_BATCH_BYTES = 4L << 20;
    private static final int H2_BATCH_FILES = 8;
    private static final long H2_BATCH_BYTES = 1L << 20;

    private final Warehouse warehouse;
    private final String toolVersion;
    private final ObjectMapper mapper = new ObjectMapper();

    public Loader(Warehouse warehouse, String toolVersion)
    {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.toolVersion = requireNonNull(toolVersion, "toolVersion is null");
    }

    /** What a load of {@code roots} would do, without writing anything. */
    public List<PlannedFile> plan(List<SourceRoot> roots, LoadOptions options)
            throws IOException
    {
        SourceFileStore sourceFiles = new SourceFileStore(warehouse.dsl());
        List<PlannedFile> plan = new ArrayList<>();
        Set<Path> planned = new HashSet<>();
        Map<String, Map<String, SourceFileStore.State>> knownByKind = new HashMap<>();
        for (SourceRoot root : roots) {
            Map<String, SourceFileStore.State> known = knownByKind.computeIfAbsent(root.format().id(), sourceFiles::findAll);
            for (Path file : root.format().discover(root.root())) {
                Path path = file.toAbsolutePath().normalize();
                if (!options.shard().contains(path) || !planned.add(path)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class);
                }
                catch (NoSuchFileException deletedSinceDiscovery) {
                    continue;
                }
                long size = attributes.size();
                // the warehouse keeps microseconds; compare at that precision
                Instant modifiedAt = attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.MICROS);
                if (options.modifiedSince() != null && modifiedAt.isBefore(options.modifiedSince())) {
                    continue;
                }
                SourceFileStore.State state = known.get(path.toString());
                plan.add(new PlannedFile(path, root.format(), root.format().id(), action(state, size, modifiedAt, options.fullRefresh()), size, modifiedAt));
            }
            for (SourceFileStore.State state : known.values()) {
                Path path = Path.of(state.path());
                if (path.startsWith(root.root()) && options.shard().contains(path) && !planned.contains(path)
                        && !state.missing() && !Files.exists(path)) {
                    planned.add(path);
                    plan.add(new PlannedFile(path, null, state.sourceKind(), FileAction.MISSING, state.sizeBytes(), state.modifiedAt()));
                }
            }
        }
        return plan;
    }

    private static FileAction action(SourceFileStore.State state, long size, Instant modifiedAt, boolean fullRefresh)
    {
        if (state == null) {
            return FileAction.NEW;
        }
        if (state.sizeBytes() == size && state.modifiedAt().equals(modifiedAt)) {
            return fullRefresh ? FileAction.CHANGED : FileAction.UNCHANGED;
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
        String holder = ProcessHandle.current().pid() + "@" + hostName();
        try (LoadLock lock = LoadLock.acquire(warehouse.url(), options.shard().lockScope(), holder, options.waitForLock())
                .orElseThrow(() -> new LoadLockedException("another load holds the warehouse lock '" + options.shard().lockScope()
                        + "' (use --wait to wait for it)"))) {
            return loadLocked(roots, options, arguments, listener);
        }
    }

    private LoadReport loadLocked(List<SourceRoot> roots, LoadOptions options, String arguments, LoadListener listener)
            throws IOException
    {
        long startNanos = System.nanoTime();
        warehouse.useAsynchronousCommit();
        List<PlannedFile> plan = plan(roots, options);
        List<PlannedFile> toRead = plan.stream().filter(file -> file.action().reads()).toList();
        listener.started(toRead.size(), toRead.stream().mapToLong(PlannedFile::sizeBytes).sum());

        LoadRunStore runs = new LoadRunStore(warehouse.dsl());
        String lockScope = options.shard().lockScope();
        runs.markInterrupted(lockScope);
        long runId = runs.start(arguments, lockScope, toolVersion, warehouse.schemaVersion());
        Progress progress = new Progress();
        LoadRunStore.Status status;
        try {
            readAndWrite(runId, toRead, progress, listener);
            finishUnreadFiles(runId, plan, progress);
            if (progress.loadedFiles > 0) {
                warehouse.analyze();
            }
            status = progress.failedFiles > 0 || progress.errors > 0 ? LoadRunStore.Status.PARTIAL : LoadRunStore.Status.SUCCEEDED;
        }
        catch (RuntimeException | IOException e) {
            runs.finish(runId, LoadRunStore.Status.FAILED, progress.fileCounts(plan.size()), progress.rows, seconds(startNanos));
            throw e;
        }
        double seconds = seconds(startNanos);
        runs.finish(runId, status, progress.fileCounts(plan.size()), progress.rows, seconds);
        return new LoadReport(runId, status, progress.fileCounts(plan.size()), progress.rows,
                progress.traces, progress.messages, progress.toolCalls, progress.tokens, progress.replacedCharacters, seconds);
    }

    private void finishUnreadFiles(long runId, List<PlannedFile> plan, Progress progress)
    {
        SourceFileStore sourceFiles = new SourceFileStore(warehouse.dsl());
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

    private void readAndWrite(long runId, List<PlannedFile> files, Progress progress, LoadListener listener)
            throws IOException
    {
        int parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService parsers = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, "tracewh-parser");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Deque<Future<Parsed>> inFlight = new ArrayDeque<>();
            long bytesInFlight = 0;
            int next = 0;
            boolean postgres = warehouse.url().vendor() == DatabaseUrl.Vendor.POSTGRESQL;
            long readAheadBytes = postgres ? POSTGRES_READ_AHEAD_BYTES : H2_READ_AHEAD_BYTES;
            Batch batch = postgres
                    ? new Batch(POSTGRES_BATCH_FILES, POSTGRES_BATCH_BYTES)
                    : new Batch(H2_BATCH_FILES, H2_BATCH_BYTES);
            long analyzeAt = 64;
            while (next < files.size() || !inFlight.isEmpty()) {
                // bounded read-ahead, in bytes: parsed files wait in memory only until the writer catches up
                while (next < files.size() && (inFlight.isEmpty() || bytesInFlight + files.get(next).sizeBytes() <= readAheadBytes)) {
                    PlannedFile file = files.get(next++);
                    bytesInFlight += file.sizeBytes();
                    inFlight.add(parsers.submit(() -> parse(file, runId)));
                }
                Parsed parsed = await(inFlight.removeFirst());
                bytesInFlight -= parsed.file().sizeBytes();
                if (!batch.accepts(parsed)) {
                    write(runId, batch.drain(), progress, listener);
                }
                batch.add(parsed);
                if (batch.isFull() || inFlight.isEmpty()) {
                    write(runId, batch.drain(), progress, listener);
                }
                if (progress.loadedFiles >= analyzeAt) {
                    // the tables grow from what the planner last saw: refresh its statistics at 64, 128, 256... files
                    warehouse.analyze();
                    analyzeAt = Long.highestOneBit(progress.loadedFiles) * 2;
                }
            }
        }
        finally {
            parsers.shutdownNow();
        }
    }

    /** A file's parse result and its traces as rows, or the reason it could not be read. */
    private record Parsed(PlannedFile file, ParsedFile result, List<TraceRows> rows, Exception failure) {}

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

        List<Parsed> drain()
        {
            List<Parsed> drained = List.copyOf(files);
            files.clear();
            traceIds.clear();
            bytes = 0;
            return drained;
        }
    }

    /** Runs on a parser thread: parsing and making rows are the CPU work, writing is left to the writer. */
    private Parsed parse(PlannedFile file, long runId)
    {
        try (InputStream input = Files.newInputStream(file.path())) {
            ParsedFile result = file.format().parse(file.path(), input);
            List<TraceRows> rows = result.traces().stream().map(trace -> TraceRows.of(trace, mapper)).toList();
            if (file.action() == FileAction.NEW && warehouse.url().vendor() == DatabaseUrl.Vendor.POSTGRESQL) {
                // the traces of a new file are new: encode their rows here rather than on the writer thread
                rows.forEach(trace -> trace.prepareCopy(runId));
            }
            return new Parsed(file, result, rows, null);
        }
        catch (IOException | RuntimeException e) {
            return new Parsed(file, null, List.of(), e);
        }
    }

    private static Parsed await(Future<Parsed> future)
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
            // parse() turns every exception into a result, so only an Error (out of memory) gets here
            throw new IllegalStateException("a parser thread died: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Writes a batch of parsed files in one transaction with their errors and {@code source_files} states. When
     * it fails, each file is written again on its own, so one file that cannot be written costs only itself.
     */
    private void write(long runId, List<Parsed> batch, Progress progress, LoadListener listener)
    {
        List<Parsed> readable = new ArrayList<>();
        for (Parsed parsed : batch) {
            if (parsed.failure() != null) {
                fileFailed(runId, parsed.file().path().toString(), parsed.failure(), progress);
                listener.fileDone(parsed.file());
            }
            else {
                readable.add(parsed);
            }
        }
        if (readable.isEmpty()) {
            return;
        }
        WriteCounts counts;
        try {
            counts = warehouse.dsl().transactionResult(configuration -> writeInTransaction(DSL.using(configuration), runId, readable));
        }
        catch (RuntimeException e) {
            if (readable.size() > 1) {
                for (Parsed parsed : readable) {
                    write(runId, List.of(parsed), progress, listener);
                }
            }
            else {
                fileFailed(runId, readable.getFirst().file().path().toString(), e, progress);
                listener.fileDone(readable.getFirst().file());
            }
            return;
        }
        progress.rows = progress.rows.plus(counts);
        for (Parsed parsed : readable) {
            ParsedFile result = parsed.result();
            progress.loadedFiles++;
            progress.bytesRead += parsed.file().sizeBytes();
            progress.errors += result.issues().size();
            progress.replacedCharacters += result.replacedCharacters();
            for (Trace trace : result.traces()) {
                progress.traces++;
                progress.messages += trace.messageCount();
                progress.toolCalls += trace.toolCallCount();
                progress.tokens += trace.tokenUsage().stream().mapToLong(TokenUsage::totalTokens).sum();
            }
            listener.fileDone(parsed.file());
        }
    }

    private static WriteCounts writeInTransaction(DSLContext transaction, long runId, List<Parsed> batch)
    {
        TraceWriter writer = new TraceWriter(transaction, runId);
        WriteCounts written = writer.write(batch.stream().flatMap(parsed -> parsed.rows().stream()).toList());
        LoadRunStore runs = new LoadRunStore(transaction);
        List<SourceFileStore.Loaded> loaded = new ArrayList<>(batch.size());
        for (Parsed parsed : batch) {
            PlannedFile file = parsed.file();
            String path = file.path().toString();
            ParsedFile result = parsed.result();
            if (file.action() != FileAction.NEW) {
                // a rewritten file may no longer hold every trace it held before
                writer.deleteOtherTraces(path, result.traces().stream().map(Trace::traceId).toList());
            }
            for (ParseIssue issue : result.issues()) {
                runs.recordError(runId, path, issue.lineNumber(), issue.errorClass(), issue.message(), issue.excerpt());
            }
            loaded.add(new SourceFileStore.Loaded(new SourceFileStore.State(path, file.sourceKind(), file.sizeBytes(), file.modifiedAt(),
                    result.consumedSha256(), result.consumedBytes(), false), result.traces().size(), result.issues().size()));
        }
        new SourceFileStore(transaction).saveLoaded(runId, loaded);
        return written;
    }

    private void fileFailed(long runId, String path, Exception failure, Progress progress)
    {
        progress.failedFiles++;
        progress.errors++;
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        new LoadRunStore(warehouse.dsl()).recordError(runId, path, null, failure.getClass().getSimpleName(), message, null);
    }

    private static String hostName()
    {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }

    private static double seconds(long startNanos)
    {
        return (System.nanoTime() - startNanos) / 1e9;
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

        LoadRunStore.FileCounts fileCounts(int scanned)
        {
            return new LoadRunStore.FileCounts(scanned, loadedFiles, unchangedFiles, failedFiles, missingFiles, errors, bytesRead);
        }
    }
}
