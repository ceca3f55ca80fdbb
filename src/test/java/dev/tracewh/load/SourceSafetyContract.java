package dev.tracewh.load;

import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.format.UnreadablePath;
import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.testing.WarehouseContract;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.SourceFileStore;
import org.jooq.Record2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static dev.tracewh.warehouse.schema.Tables.EXPORTS;
import static dev.tracewh.warehouse.schema.Tables.EXPORT_ITEMS;
import static dev.tracewh.warehouse.schema.Tables.JUDGE_RUNS;
import static dev.tracewh.warehouse.schema.Tables.LOAD_ERRORS;
import static dev.tracewh.warehouse.schema.Tables.LOAD_RUNS;
import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SCORES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A source file never takes stored rows with it: shrunk, rewritten and copied files, lost child rows, overlong lines. */
abstract class SourceSafetyContract
        extends WarehouseContract
{
    private static final String SESSION = "5e55a0e0-0000-4000-8000-00000000000a";

    @TempDir
    Path projects;



    /** What happens to a loaded file behind the loader's back. */
    enum Damage
    {
        ZEROED_SAME_SIZE("file_shrank"), EMPTIED("file_shrank"), TRUNCATED_MID_LINE("file_shrank"), FIRST_LINE_CORRUPTED("file_rewritten");

        final String errorClass;

        Damage(String errorClass)
        {
            this.errorClass = errorClass;
        }

        void apply(Path file)
                throws IOException
        {
            byte[] bytes = Files.readAllBytes(file);
            switch (this) {
                case ZEROED_SAME_SIZE -> Files.write(file, new byte[bytes.length]);
                case EMPTIED -> Files.write(file, new byte[0]);
                case TRUNCATED_MID_LINE -> Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
                case FIRST_LINE_CORRUPTED -> {
                    bytes[2] = (byte) 'X';
                    Files.write(file, bytes);
                }
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedFileKeepsEveryStoredRowAndIsReportedOnEveryLoad(Damage damage)
            throws IOException
    {
        Path file = writeSession(conversation());
        load(LoadOptions.INCREMENTAL);
        List<Object> stored = snapshot();
        damage.apply(file);

        for (int attempt = 0; attempt < 2; attempt++) {
            LoadReport report = load(LoadOptions.INCREMENTAL);
            assertEquals(LoadRunStore.Status.PARTIAL, report.status());
            assertEquals(1, report.files().failed());
            assertEquals(0, report.rows().rowsChanged());
            assertEquals(stored, snapshot());
            Record2<String, String> error = dsl.select(LOAD_ERRORS.ERROR_CLASS, LOAD_ERRORS.MESSAGE).from(LOAD_ERRORS)
                    .where(LOAD_ERRORS.RUN_ID.eq(report.runId())).fetchSingle();
            assertEquals(damage.errorClass, error.value1());
            assertTrue(error.value2().contains("--replace-changed"), error.value2());
            assertEquals(file.toString(), dsl.select(LOAD_ERRORS.SOURCE_PATH).from(LOAD_ERRORS).where(LOAD_ERRORS.RUN_ID.eq(report.runId())).fetchSingle().value1());
        }
    }

    @Test
    void replaceChangedLetsAnEmptiedFileDeleteItsSessionAndCountsWhatWent()
            throws IOException
    {
        Path file = writeSession(conversation());
        load(LoadOptions.INCREMENTAL);
        Damage.EMPTIED.apply(file);

        LoadReport report = load(LoadOptions.INCREMENTAL.withReplaceChanged());
        assertEquals(LoadRunStore.Status.SUCCEEDED, report.status());
        assertEquals(1, report.rows().tracesDeleted());
        assertEquals(4, report.rows().messagesDeleted());
        assertEquals(1, report.rows().toolCallsDeleted());
        assertEquals(2, report.rows().tokenRowsDeleted());
        assertEquals(0, dsl.fetchCount(SESSIONS));
        var run = dsl.selectFrom(LOAD_RUNS).where(LOAD_RUNS.RUN_ID.eq(report.runId())).fetchSingle();
        assertEquals(List.of(1, 4, 1, 2), List.of(run.getTracesDeleted(), run.getMessagesDeleted(), run.getToolCallsDeleted(), run.getTokenRowsDeleted()));
    }

    @Test
    void replaceChangedLetsARewrittenFileReplaceItsRows()
            throws IOException
    {
        Path file = writeSession(userLine("u1", "hello") + assistantLine("a1", "msg_1", "first answer") + userLine("u2", "more"));
        load(LoadOptions.INCREMENTAL);
        Files.writeString(file, userLine("u1", "hello") + assistantLine("a1", "msg_9", "second answer"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

        assertEquals(1, load(LoadOptions.INCREMENTAL).files().failed());
        LoadReport replaced = load(LoadOptions.INCREMENTAL.withReplaceChanged());
        assertEquals(1, replaced.rows().messagesUpdated());
        assertEquals(1, replaced.rows().messagesDeleted());
        assertEquals(List.of("hello", "second answer"), dsl.select(MESSAGES.TEXT_CONTENT).from(MESSAGES).orderBy(MESSAGES.ORDINAL).fetch(MESSAGES.TEXT_CONTENT));
        // the new bytes are now what the file must start with
        assertEquals(LoadRunStore.Status.SUCCEEDED, load(LoadOptions.FULL_REFRESH).status());
    }

    @Test
    void aCopyOfAStoredSessionInAnotherFileNeverOverwritesIt()
            throws IOException
    {
        Path original = writeSession(userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi there"));
        load(LoadOptions.INCREMENTAL);
        // a backup copy that sorts before the original, holding more than it: it must not win by load order
        Path copy = Files.createDirectories(projects.resolve("a-backup")).resolve(SESSION + ".jsonl");
        Files.writeString(copy, userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi there") + userLine("u2", "other"));

        LoadReport report = load(LoadOptions.FULL_REFRESH);
        assertEquals(LoadRunStore.Status.PARTIAL, report.status());
        assertEquals(1, report.files().failed());
        assertEquals(original.toString(), dsl.select(SESSIONS.SOURCE_PATH).from(SESSIONS).fetchSingle().value1());
        assertEquals(2, dsl.fetchCount(MESSAGES));
        Record2<String, String> error = dsl.select(LOAD_ERRORS.SOURCE_PATH, LOAD_ERRORS.MESSAGE).from(LOAD_ERRORS)
                .where(LOAD_ERRORS.RUN_ID.eq(report.runId())).fetchSingle();
        assertEquals(copy.toString(), error.value1());
        assertTrue(error.value2().contains(original.toString()) && error.value2().contains(copy.toString()), error.value2());

        // the copy loaded first in one load loses the same way: the first file in plan order holds the session
        assertEquals("duplicate_session", dsl.select(LOAD_ERRORS.ERROR_CLASS).from(LOAD_ERRORS).where(LOAD_ERRORS.RUN_ID.eq(report.runId())).fetchSingle().value1());
    }

    @Test
    void aSessionFollowsItsFileWhenTheFileMoves()
            throws IOException
    {
        Path original = writeSession(userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi there"));
        load(LoadOptions.INCREMENTAL);
        Path moved = Files.createDirectories(projects.resolve("archived")).resolve(SESSION + ".jsonl");
        Files.move(original, moved);

        LoadReport report = load(LoadOptions.INCREMENTAL);
        assertEquals(LoadRunStore.Status.SUCCEEDED, report.status());
        assertEquals(moved.toString(), dsl.select(SESSIONS.SOURCE_PATH).from(SESSIONS).fetchSingle().value1());
        assertEquals(2, dsl.fetchCount(MESSAGES));
    }

    @Test
    void purgeNeverDeletesTheSessionOfAFileThatExistsAgain()
            throws IOException
    {
        Path file = writeSession(conversation());
        load(LoadOptions.INCREMENTAL);
        byte[] content = Files.readAllBytes(file);
        Files.delete(file);
        load(LoadOptions.INCREMENTAL);
        Files.write(file, content);

        SourceFileStore.Purge purge = new SourceFileStore(dsl, LoadOptions.INCREMENTAL.sourceHost()).purgeMissing(Instant.now().plusSeconds(3600), false, path -> Files.exists(Path.of(path)));
        assertEquals(List.of(), purge.paths());
        assertEquals(1, dsl.fetchCount(SESSIONS));
    }

    @Test
    void aFileReachedThroughALinkIsStoredOnceUnderItsRealPath()
            throws IOException
    {
        Path real = Files.createDirectories(projects.resolve("real"));
        Path file = real.resolve(SESSION + ".jsonl");
        Files.writeString(file, conversation());
        Path link = Files.createSymbolicLink(projects.resolve("link"), real);

        LoadReport throughLink = loadFrom(link);
        LoadReport throughRealPath = loadFrom(real);
        LoadReport both = load(LoadOptions.INCREMENTAL);
        assertEquals(List.of(1, 0, 0), List.of(throughLink.files().loaded(), throughRealPath.files().loaded(), both.files().loaded()));
        assertEquals(0, throughRealPath.rows().rowsChanged() + both.rows().rowsChanged());
        assertEquals(List.of(file.toRealPath().toString()), dsl.select(SOURCE_FILES.PATH).from(SOURCE_FILES).fetch(SOURCE_FILES.PATH));
        assertEquals(List.of(file.toRealPath().toString()), dsl.select(SESSIONS.SOURCE_PATH).from(SESSIONS).fetch(SESSIONS.SOURCE_PATH));
    }

    @Test
    void aStateStoredThroughALinkByAnOlderVersionMovesToTheRealPath()
            throws IOException
    {
        Path real = Files.createDirectories(projects.resolve("real"));
        Path file = real.resolve(SESSION + ".jsonl");
        Files.writeString(file, conversation());
        Path link = Files.createSymbolicLink(projects.resolve("link"), real);
        loadFrom(link);
        // what older versions stored: the path as reached, through the link
        String linkedPath = link.resolve(SESSION + ".jsonl").toString();
        dsl.update(SOURCE_FILES).set(SOURCE_FILES.PATH, linkedPath).execute();
        // (its row hash covered that path, so it differs from the hash of the same row under the real path)
        dsl.update(SESSIONS).set(SESSIONS.SOURCE_PATH, linkedPath).set(SESSIONS.ROW_HASH, "hash of the row under the link's path").execute();

        LoadReport moved = loadFrom(link);
        assertEquals(LoadRunStore.Status.SUCCEEDED, moved.status());
        assertEquals(0, moved.files().missing());
        assertEquals(List.of(file.toRealPath().toString()), dsl.select(SOURCE_FILES.PATH).from(SOURCE_FILES).fetch(SOURCE_FILES.PATH));
        assertEquals(List.of(file.toRealPath().toString()), dsl.select(SESSIONS.SOURCE_PATH).from(SESSIONS).fetch(SESSIONS.SOURCE_PATH));
        assertEquals(4, dsl.fetchCount(MESSAGES));
        assertEquals(0, loadFrom(link).files().loaded());
    }

    @Test
    void aFileThatComesBackAsItWasIsLoadedAgain()
            throws IOException
    {
        Path file = writeSession(conversation());
        load(LoadOptions.INCREMENTAL);
        Path aside = Files.move(file, projects.resolve("aside.txt"));
        assertEquals(1, load(LoadOptions.INCREMENTAL).files().missing());
        Files.move(aside, file);

        LoadReport back = load(LoadOptions.INCREMENTAL);
        assertEquals(1, back.files().unchanged());
        var state = dsl.selectFrom(SOURCE_FILES).fetchSingle();
        assertEquals("loaded", state.getStatus());
        assertEquals(null, state.getMissingSince());
    }

    @Test
    void purgeCountsAndDeletesWhatGoesWithItsTracesAndKeepsJudgeRowCountsTrue()
            throws IOException
    {
        writeSession(conversation());
        Path kept = projects.resolve("kept.jsonl");
        Files.writeString(kept, userLine("u1", "stays").replace(SESSION, "5e55a0e0-0000-4000-8000-00000000000c"));
        load(LoadOptions.INCREMENTAL);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        long judgeRun = dsl.insertInto(JUDGE_RUNS)
                .set(JUDGE_RUNS.NAME, "judge").set(JUDGE_RUNS.KIND, "sql").set(JUDGE_RUNS.SQL_SHA256, "0".repeat(64)).set(JUDGE_RUNS.PARAMETERS, "{}")
                .set(JUDGE_RUNS.CREATED_AT, now).set(JUDGE_RUNS.UPDATED_AT, now).set(JUDGE_RUNS.ROW_COUNT, 2)
                .returning(JUDGE_RUNS.JUDGE_RUN_ID).fetchOne().getJudgeRunId();
        long export = dsl.insertInto(EXPORTS)
                .set(EXPORTS.KIND, "sft").set(EXPORTS.CREATED_AT, now).set(EXPORTS.FILTER_SQL, "true").set(EXPORTS.OPTIONS, "{}")
                .set(EXPORTS.OUTPUT, "out.jsonl").set(EXPORTS.TRACE_COUNT, 2).set(EXPORTS.MESSAGE_COUNT, 5L)
                .returning(EXPORTS.EXPORT_ID).fetchOne().getExportId();
        for (String traceId : List.of(SESSION, "5e55a0e0-0000-4000-8000-00000000000c")) {
            dsl.insertInto(SCORES)
                    .set(SCORES.JUDGE_RUN_ID, judgeRun).set(SCORES.TARGET_TYPE, "trace").set(SCORES.TRACE_ID, traceId).set(SCORES.TARGET_KEY, "")
                    .set(SCORES.NAME, "quality").set(SCORES.VALUE, 1.0).set(SCORES.CREATED_AT, now).set(SCORES.UPDATED_AT, now)
                    .execute();
            dsl.insertInto(EXPORT_ITEMS).set(EXPORT_ITEMS.EXPORT_ID, export).set(EXPORT_ITEMS.TRACE_ID, traceId).execute();
        }
        Files.delete(projects.resolve(SESSION + ".jsonl"));
        load(LoadOptions.INCREMENTAL);
        SourceFileStore store = new SourceFileStore(dsl, LoadOptions.INCREMENTAL.sourceHost());

        SourceFileStore.Purge dryRun = store.purgeMissing(Instant.now().plusSeconds(3600), true, path -> Files.exists(Path.of(path)));
        assertEquals(List.of(List.of(SESSION), 1, 1, 1), List.of(dryRun.traceIds(), dryRun.scores(), dryRun.exportItems(), dryRun.judgeRuns()));
        assertEquals(2, dsl.fetchCount(SCORES));

        SourceFileStore.Purge purge = store.purgeMissing(Instant.now().plusSeconds(3600), false, path -> Files.exists(Path.of(path)));
        assertEquals(dryRun, purge);
        assertEquals(List.of(1, 1, 1), List.of(dsl.fetchCount(SESSIONS), dsl.fetchCount(SCORES), dsl.fetchCount(EXPORT_ITEMS)));
        assertEquals(1, dsl.select(JUDGE_RUNS.ROW_COUNT).from(JUDGE_RUNS).fetchSingle().value1());
    }

    @Test
    void aFullRefreshPutsBackChildRowsLostSinceTheyWereWritten()
            throws IOException
    {
        writeSession(conversation());
        load(LoadOptions.INCREMENTAL);
        List<Object> complete = snapshot();
        dsl.deleteFrom(MESSAGES).where(MESSAGES.ORDINAL.eq(1)).execute();
        dsl.deleteFrom(TOOL_CALLS).execute();
        dsl.deleteFrom(TOKEN_USAGE).execute();

        assertEquals(0, load(LoadOptions.INCREMENTAL).files().loaded());
        LoadReport refresh = load(LoadOptions.FULL_REFRESH);
        assertEquals(1, refresh.rows().tracesUpdated());
        assertEquals(List.of(1, 1, 2), List.of(refresh.rows().messagesInserted(), refresh.rows().toolCallsInserted(), refresh.rows().tokenRowsInserted()));
        assertEquals(complete, snapshot());

        LoadReport again = load(LoadOptions.FULL_REFRESH);
        assertEquals(1, again.rows().tracesUnchanged());
        assertEquals(0, again.rows().rowsChanged());
    }

    @Test
    void aLineLongerThanTheLimitIsAnErrorAndTheRestOfItsFileLoads()
            throws IOException
    {
        String huge = userLine("u2", "x".repeat(5_000));
        writeSession(userLine("u1", "hello") + huge + assistantLine("a1", "msg_1", "hi there"));

        LoadReport report = load(LoadOptions.INCREMENTAL.withMaxLineBytes(1_000));
        assertEquals(LoadRunStore.Status.PARTIAL, report.status());
        assertEquals(List.of("hello", "hi there"), dsl.select(MESSAGES.TEXT_CONTENT).from(MESSAGES).orderBy(MESSAGES.ORDINAL).fetch(MESSAGES.TEXT_CONTENT));
        var error = dsl.selectFrom(LOAD_ERRORS).where(LOAD_ERRORS.RUN_ID.eq(report.runId())).fetchSingle();
        assertEquals(List.of("line_too_long", 2L), List.of(error.getErrorClass(), error.getLineNumber()));
        // the long line was consumed: appending to the file is a growth, not a change of its start
        Files.writeString(projects.resolve(SESSION + ".jsonl"), userLine("u3", "later"), java.nio.file.StandardOpenOption.APPEND);
        assertEquals(0, load(LoadOptions.INCREMENTAL.withMaxLineBytes(1_000)).files().failed());
    }

    @Test
    void aParserThatRunsOutOfMemoryFailsOnlyItsFile()
            throws IOException
    {
        writeSession(conversation());
        Path bomb = projects.resolve("bomb.jsonl");
        Files.writeString(bomb, userLine("u1", "boom"));

        LoadReport report = new Loader(warehouse, "test").load(List.of(new SourceRoot(new FailingFormat(bomb, List.of()), projects)),
                LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(LoadRunStore.Status.PARTIAL, report.status());
        assertEquals(1, report.files().loaded());
        assertEquals(1, dsl.fetchCount(SESSIONS));
        var error = dsl.selectFrom(LOAD_ERRORS).fetchSingle();
        assertEquals(List.of(bomb.toString(), "parse_failed"), List.of(error.getSourcePath(), error.getErrorClass()));
        assertTrue(error.getMessage().contains("memory"), error.getMessage());
    }

    @Test
    void anUnreadableFolderIsRecordedAndNeitherStopsTheLoadNorMarksItsFilesMissing()
            throws IOException
    {
        Path hidden = Files.createDirectories(projects.resolve("hidden"));
        Files.writeString(hidden.resolve(SESSION + ".jsonl"), conversation());
        load(LoadOptions.INCREMENTAL);
        Path other = projects.resolve("other.jsonl");
        Files.writeString(other, userLine("u1", "hello").replace(SESSION, "5e55a0e0-0000-4000-8000-00000000000b"));

        UnreadablePath unreadable = new UnreadablePath(hidden, "permission denied");
        LoadReport report = new Loader(warehouse, "test").load(List.of(new SourceRoot(new FailingFormat(null, List.of(unreadable)), projects)),
                LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(LoadRunStore.Status.PARTIAL, report.status());
        assertEquals(List.of(1, 0), List.of(report.files().loaded(), report.files().missing()));
        assertEquals(2, dsl.fetchCount(SESSIONS));
        assertEquals(0, dsl.fetchCount(SOURCE_FILES, SOURCE_FILES.STATUS.eq("missing")));
        var error = dsl.selectFrom(LOAD_ERRORS).fetchSingle();
        assertEquals(List.of(hidden.toString(), "unreadable_path"), List.of(error.getSourcePath(), error.getErrorClass()));
        assertEquals(1, dsl.fetchCount(LOAD_RUNS, LOAD_RUNS.RUN_ID.eq(report.runId()).and(LOAD_RUNS.FILES_FAILED.eq(1))));
    }

    /**
     * Claude Code's format, except that it cannot read {@code unreadable} (as a folder without permission) and its
     * parser runs out of memory on {@code bomb}.
     */
    private record FailingFormat(Path bomb, List<UnreadablePath> unreadable)
            implements TraceFormat
    {
        private static final ClaudeCodeFormat CLAUDE_CODE = new ClaudeCodeFormat();

        @Override
        public String id()
        {
            return CLAUDE_CODE.id();
        }

        @Override
        public List<Path> defaultRoots(Environment environment)
        {
            return List.of();
        }

        @Override
        public List<Path> discover(Path root, Consumer<UnreadablePath> unreadablePaths)
                throws IOException
        {
            unreadable.forEach(unreadablePaths);
            List<Path> files = new ArrayList<>(CLAUDE_CODE.discover(root));
            files.removeIf(file -> unreadable.stream().anyMatch(path -> file.startsWith(path.path())));
            return files;
        }

        @Override
        public boolean recognizes(Path file, FileHead head)
        {
            return CLAUDE_CODE.recognizes(file, head);
        }

        @Override
        public ParsedFile parse(Path file, InputStream input, ReadOptions options)
                throws IOException
        {
            if (file.equals(bomb)) {
                throw new OutOfMemoryError("Java heap space");
            }
            return CLAUDE_CODE.parse(file, input, options);
        }

        @Override
        public boolean appendOnly()
        {
            return true;
        }
    }

    private LoadReport loadFrom(Path root)
            throws IOException
    {
        return new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), root)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
    }

    private LoadReport load(LoadOptions options)
            throws IOException
    {
        return new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), projects)), options, "test", LoadListener.NONE);
    }

    /** Every stored value of the session and its file state but which run wrote it, to compare before and after. */
    private List<Object> snapshot()
    {
        return List.of(
                withoutRuns(dsl.selectFrom(SESSIONS).fetch().intoMaps()),
                withoutRuns(dsl.selectFrom(MESSAGES).orderBy(MESSAGES.ORDINAL).fetch().intoMaps()),
                withoutRuns(dsl.selectFrom(TOOL_CALLS).fetch().intoMaps()),
                withoutRuns(dsl.selectFrom(TOKEN_USAGE).orderBy(TOKEN_USAGE.RESPONSE_ID).fetch().intoMaps()),
                dsl.select(SOURCE_FILES.PATH, SOURCE_FILES.CONTENT_HASH, SOURCE_FILES.CONSUMED_BYTES, SOURCE_FILES.STATUS).from(SOURCE_FILES).fetch().intoMaps());
    }

    private static List<Map<String, Object>> withoutRuns(List<Map<String, Object>> rows)
    {
        rows.forEach(row -> row.keySet().removeAll(Set.of("first_run_id", "last_run_id")));
        return rows;
    }

    private Path writeSession(String jsonl)
            throws IOException
    {
        Path file = projects.resolve(SESSION + ".jsonl");
        Files.write(file, jsonl.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** A user turn, a tool call and its result, and an answer: 4 messages, 1 tool call, 2 usage rows. */
    private static String conversation()
    {
        return userLine("u1", "list the files")
                + """
                {"type":"assistant","uuid":"a1","parentUuid":"u1","sessionId":"%s","requestId":"req_1","timestamp":"2025-07-01T10:00:01.000Z","message":{"id":"msg_1","model":"claude-opus-4-6","role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}],"usage":{"input_tokens":4,"output_tokens":9}}}
                {"type":"user","uuid":"u2","parentUuid":"a1","sessionId":"%s","timestamp":"2025-07-01T10:00:02.000Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"a.txt"}]}}
                """.formatted(SESSION, SESSION)
                + assistantLine("a2", "msg_2", "one file: a.txt");
    }

    private static String userLine(String uuid, String text)
    {
        return """
                {"type":"user","uuid":"%s","sessionId":"%s","timestamp":"2025-07-01T10:00:00.000Z","message":{"role":"user","content":"%s"}}
                """.formatted(uuid, SESSION, text);
    }

    private static String assistantLine(String uuid, String messageId, String text)
    {
        return """
                {"type":"assistant","uuid":"%s","sessionId":"%s","requestId":"req_%s","timestamp":"2025-07-01T10:00:05.000Z","message":{"id":"%s","model":"claude-opus-4-6","role":"assistant","content":[{"type":"text","text":"%s"}],"usage":{"input_tokens":4,"output_tokens":7}}}
                """.formatted(uuid, SESSION, messageId, messageId, text);
    }
}
