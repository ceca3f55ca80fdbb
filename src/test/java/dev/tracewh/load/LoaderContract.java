package dev.tracewh.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.format.Formats;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.format.codex.CodexFormat;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.Message;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.testing.WarehouseContract;
import dev.tracewh.warehouse.LoadLock;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.SourceFileStore;
import dev.tracewh.warehouse.TextSanitizer;
import dev.tracewh.warehouse.Warehouse;
import dev.tracewh.warehouse.WriteCounts;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.tracewh.warehouse.schema.Tables.LOAD_ERRORS;
import static dev.tracewh.warehouse.schema.Tables.LOAD_RUNS;
import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static dev.tracewh.warehouse.schema.Tables.V_MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.V_TOOL_CALLS;
import static dev.tracewh.warehouse.schema.Tables.V_USAGE_DAILY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loader's warehouse contract; every database runs it through a subclass. */
abstract class LoaderContract
        extends WarehouseContract
{
    private static final String SESSION = "0a0b0c0d-1111-2222-3333-444455556666";

    @TempDir
    Path projects;



    @Test
    void secondLoadReadsNoUnchangedFileAndWritesNothing()
            throws IOException
    {
        writeSession(userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi there", 10));
        LoadReport first = load(false);
        assertEquals(1, first.files().loaded());
        assertEquals(1, first.rows().tracesInserted());

        LoadReport second = load(false);
        assertEquals(0, second.files().loaded());
        assertEquals(1, second.files().unchanged());
        assertEquals(0, second.rows().rowsChanged());

        LoadReport refresh = load(true);
        assertEquals(1, refresh.files().loaded());
        assertEquals(1, refresh.rows().tracesUnchanged());
        assertEquals(0, refresh.rows().rowsChanged());
    }

    @Test
    void appendedSessionGainsExactlyTheNewRows()
            throws IOException
    {
        Path file = writeSession(userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi there", 10));
        long firstRun = load(false).runId();
        Files.writeString(file, userLine("u2", "and now?") + assistantLine("a2", "msg_2", "done", 20), StandardOpenOption.APPEND);

        LoadReport second = load(false);
        WriteCounts rows = second.rows();
        assertEquals(1, rows.tracesUpdated());
        assertEquals(2, rows.messagesInserted());
        assertEquals(0, rows.messagesUpdated() + rows.messagesDeleted());
        assertEquals(1, rows.tokenRowsInserted());
        assertEquals(4, dsl.fetchCount(MESSAGES));
        assertEquals(List.of(firstRun, firstRun, second.runId(), second.runId()),
                dsl.select(MESSAGES.FIRST_RUN_ID).from(MESSAGES).orderBy(MESSAGES.ORDINAL).fetch(MESSAGES.FIRST_RUN_ID));
        assertEquals("done", dsl.select(SESSIONS.FINAL_ASSISTANT_MESSAGE).from(SESSIONS).fetchOne(SESSIONS.FINAL_ASSISTANT_MESSAGE));
    }

    @Test
    void deletedFileKeepsItsRowsAndIsMarkedMissing()
            throws IOException
    {
        Path file = writeSession(userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi", 10));
        load(false);
        Files.delete(file);

        LoadReport second = load(false);
        assertEquals(1, second.files().missing());
        assertEquals(1, dsl.fetchCount(SESSIONS));
        assertEquals(2, dsl.fetchCount(MESSAGES));
        assertEquals("missing", dsl.select(SOURCE_FILES.STATUS).from(SOURCE_FILES).fetchOne(SOURCE_FILES.STATUS));
        assertNotNull(dsl.select(SOURCE_FILES.MISSING_SINCE).from(SOURCE_FILES).fetchOne(SOURCE_FILES.MISSING_SINCE));
    }

    @Test
    void brokenLinesAreRecordedAndTheRestLoads()
            throws IOException
    {
        writeSession(userLine("u1", "hello") + "{not json\n" + assistantLine("a1", "msg_1", "hi", 10) + "{\"type\":\"assistant\",\"uu");
        LoadReport report = load(false);
        assertEquals(LoadRunStore.Status.PARTIAL, report.status());
        assertEquals(List.of(2L), dsl.select(LOAD_ERRORS.LINE_NUMBER).from(LOAD_ERRORS).fetch(LOAD_ERRORS.LINE_NUMBER));
        assertEquals(2, dsl.fetchCount(MESSAGES));
    }

    @Test
    void aFileThatCannotBeWrittenFailsAloneAndTheFilesOfItsBatchLoad()
            throws IOException
    {
        String tooLong = "m".repeat(300);
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String session = "%08d-1111-2222-3333-444455556666".formatted(i);
            sessions.add(session);
            String lines = (userLine("u1", "hello") + assistantLine("a1", "msg_" + i, "hi", 10)).replace(SESSION, session);
            // the model column holds 256 characters: the third file's write fails in the database
            Files.writeString(projects.resolve(session + ".jsonl"), i == 2 ? lines.replace("claude-opus-4-6", tooLong) : lines);
        }
        LoadReport report = load(false);
        assertEquals(LoadRunStore.Status.PARTIAL, report.status());
        assertEquals(4, report.files().loaded());
        assertEquals(1, report.files().failed());
        String failedPath = projects.resolve(sessions.get(2) + ".jsonl").toAbsolutePath().toString();
        assertEquals(List.of(failedPath), dsl.select(LOAD_ERRORS.SOURCE_PATH).from(LOAD_ERRORS).fetch(LOAD_ERRORS.SOURCE_PATH));
        assertEquals(List.of(sessions.get(0), sessions.get(1), sessions.get(3), sessions.get(4)),
                dsl.select(SESSIONS.TRACE_ID).from(SESSIONS).orderBy(SESSIONS.TRACE_ID).fetch(SESSIONS.TRACE_ID));
        assertEquals(4, dsl.fetchCount(TOKEN_USAGE));

        LoadReport again = load(false);
        assertEquals(1, again.files().failed(), "a failed file has no state, so the next load tries it again");
        assertEquals(4, again.files().unchanged());
    }

    @Test
    void nulCharactersAndLoneSurrogatesAreReplacedAndCounted()
            throws IOException
    {
        writeSession(userLine("u1", "nul \\u0000 here") + assistantLine("a1", "msg_1", "half \\ud83d pair", 10));
        LoadReport report = load(false);
        assertEquals(2, report.replacedCharacters());
        assertEquals(List.of("nul \uFFFD here", "half \uFFFD pair"),
                dsl.select(MESSAGES.TEXT_CONTENT).from(MESSAGES).orderBy(MESSAGES.ORDINAL).fetch(MESSAGES.TEXT_CONTENT));
    }

    @Test
    void responseCopiedIntoAResumedSessionIsCountedOnce()
            throws IOException
    {
        writeSession(userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi", 10));
        String resumed = "99999999-1111-2222-3333-444455556666";
        Files.writeString(projects.resolve(resumed + ".jsonl"),
                (userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi", 10) + userLine("u2", "again") + assistantLine("a2", "msg_2", "ok", 5))
                        .replace(SESSION, resumed));
        load(false);
        assertEquals(2, dsl.fetchCount(TOKEN_USAGE));
        assertEquals(15L, dsl.select(org.jooq.impl.DSL.sum(TOKEN_USAGE.OUTPUT_TOKENS)).from(TOKEN_USAGE).fetchOne(0, Long.class));
    }

    @Test
    void usageRowsAreLookedUpByResponseKeyThroughAnIndex()
    {
        // the loader asks which stored trace holds each response of a batch; a scan there makes loads quadratic
        String lookup = "select trace_id from token_usage where response_key in (-1, 2)";
        if (kind() == TestDatabase.Kind.POSTGRESQL) {
            // an empty table is cheaper to scan; without the setting PostgreSQL would not show which index serves
            dsl.execute("set enable_seqscan = off");
        }
        String plan = String.join("\n", dsl.fetch("explain " + lookup).getValues(0, String.class));
        assertTrue(kind() == TestDatabase.Kind.POSTGRESQL
                ? plan.contains("Index Cond: (response_key = ANY")
                : plan.matches("(?s).*/\\* public\\.\\w+: response_key IN\\(.*"), plan);
    }

    @Test
    void aResponseWhoseKeyCollidesWithAStoredOneFailsItsFileAndMergesNothing()
            throws IOException
    {
        writeSession(userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi", 10));
        load(false);
        // a 64-bit collision cannot be found for a test, so the stored row is made to collide: its key stays msg_1's
        dsl.update(TOKEN_USAGE).set(TOKEN_USAGE.RESPONSE_ID, "msg_other").execute();
        String resumed = "99999999-1111-2222-3333-444455556666";
        Path resumedFile = projects.resolve(resumed + ".jsonl");
        Files.writeString(resumedFile, (userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi", 10)).replace(SESSION, resumed));

        LoadReport report = load(false);
        assertEquals(1, report.files().failed());
        String message = dsl.select(LOAD_ERRORS.MESSAGE).from(LOAD_ERRORS)
                .where(LOAD_ERRORS.SOURCE_PATH.eq(resumedFile.toAbsolutePath().toString()))
                .fetchSingle(LOAD_ERRORS.MESSAGE);
        assertTrue(message.contains("claude_code response msg_1, request req_msg_1 and claude_code response msg_other, request req_msg_1"), message);
        assertEquals(List.of(SESSION), dsl.select(SESSIONS.TRACE_ID).from(SESSIONS).fetch(SESSIONS.TRACE_ID));
        assertEquals(List.of("msg_other"), dsl.select(TOKEN_USAGE.RESPONSE_ID).from(TOKEN_USAGE).fetch(TOKEN_USAGE.RESPONSE_ID));
    }

    @Test
    void aCopiedResponseBelongsToTheSessionThatStartedFirstWhateverTheLoadOrder()
            throws IOException
    {
        String resumed = "99999999-1111-2222-3333-444455556666";
        Path resumedFile = projects.resolve(resumed + ".jsonl");
        Files.writeString(resumedFile, (userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi", 10)).replace(SESSION, resumed)
                .replace("2025-07-01T10:00:00.000Z", "2025-07-02T10:00:00.000Z"));
        new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), resumedFile)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(List.of(resumed), dsl.select(TOKEN_USAGE.TRACE_ID).from(TOKEN_USAGE).fetch(TOKEN_USAGE.TRACE_ID));

        writeSession(userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi", 10));
        load(false);
        assertEquals(List.of(SESSION), dsl.select(TOKEN_USAGE.TRACE_ID).from(TOKEN_USAGE).fetch(TOKEN_USAGE.TRACE_ID),
                "the session that started first takes the response over");
        assertEquals(0, load(true).rows().rowsChanged());
    }

    @Test
    void copiedResponsesWrittenFileByFileByConcurrentWritersBelongToTheFirstSession()
            throws IOException
    {
        // session k started on day k and copies responses 1..k; the plan meets the latest session first, so every
        // file takes responses over from files written just before it, on the other connection where there are two
        int sessions = 12;
        StringBuilder turns = new StringBuilder();
        for (int k = 1; k <= sessions; k++) {
            turns.append(userLine("u" + k, "turn " + k)).append(assistantLine("a" + k, "msg_" + k, "reply " + k, k));
            String session = "%08d-1111-2222-3333-444455556666".formatted(100 - k);
            Files.writeString(projects.resolve(session + ".jsonl"), turns.toString().replace(SESSION, session).replace("2025-07-01", "2025-07-%02d".formatted(k)));
        }
        LoadReport report = new Loader(warehouse, "test", oneFilePerBatch(), Warehouse::open).load(roots(), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);

        assertEquals(LoadRunStore.Status.SUCCEEDED, report.status());
        assertEquals(sessions, report.files().loaded());
        Map<String, String> expectedOwners = new HashMap<>();
        for (int k = 1; k <= sessions; k++) {
            expectedOwners.put("msg_" + k, "%08d-1111-2222-3333-444455556666".formatted(100 - k));
        }
        assertSameEntries(expectedOwners, dsl.select(TOKEN_USAGE.RESPONSE_ID, TOKEN_USAGE.TRACE_ID).from(TOKEN_USAGE).fetchMap(TOKEN_USAGE.RESPONSE_ID, TOKEN_USAGE.TRACE_ID),
                "owner of each response");
        assertEquals(0, load(true).rows().rowsChanged());
    }

    @Test
    void syntheticClaudeCodeCorpusWrittenFileByFileMatchesItsAnswerKey()
            throws IOException
    {
        Path corpus = SharedFixtures.path("synthetic/claude_code");
        JsonNode expected = new ObjectMapper().readTree(corpus.resolve("expected.json").toFile());
        LoadReport report = new Loader(warehouse, "test", oneFilePerBatch(), Warehouse::open)
                .load(List.of(new SourceRoot(new ClaudeCodeFormat(), corpus.resolve("projects"))), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(LoadRunStore.Status.SUCCEEDED, report.status());
        assertEquals(expected.get("corpus").get("session_files").asInt(), report.files().loaded());
        ClaudeCodeAnswerKey.assertCorpus(dsl, expected);
    }

    @Test
    void syntheticClaudeCodeCorpusMatchesItsAnswerKeyAndReloadsUnchanged()
            throws IOException
    {
        Path corpus = SharedFixtures.path("synthetic/claude_code");
        JsonNode expected = new ObjectMapper().readTree(corpus.resolve("expected.json").toFile());
        LoadReport first = new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), corpus.resolve("projects"))), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(LoadRunStore.Status.SUCCEEDED, first.status());
        JsonNode corpusKey = expected.get("corpus");
        assertEquals(corpusKey.get("session_files").asInt(), first.files().loaded());
        // record-less main files (only snapshots) are session files but not transcripts
        assertEquals(corpusKey.get("main_transcripts").asInt() + corpusKey.get("sidechain_transcripts").asInt(), dsl.fetchCount(SESSIONS));

        ClaudeCodeAnswerKey.assertCorpus(dsl, expected);

        LoadReport second = new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), corpus.resolve("projects"))), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(0, second.files().loaded());
        assertEquals(0, second.rows().rowsChanged());
    }

    @Test
    void faultyClaudeCodeCorpusRecordsExactlyTheBrokenLines()
            throws IOException
    {
        Path corpus = SharedFixtures.path("synthetic/claude_code_faults");
        JsonNode expected = new ObjectMapper().readTree(corpus.resolve("expected.json").toFile());
        LoadReport report = new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), corpus.resolve("projects"))), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(LoadRunStore.Status.PARTIAL, report.status());
        ClaudeCodeAnswerKey.assertFaults(dsl, expected, corpus);
        ClaudeCodeAnswerKey.assertCorpus(dsl, expected);
    }

    @Test
    void syntheticCodexCorpusMatchesItsAnswerKeyAndReloadsUnchanged()
            throws IOException
    {
        assertCodexCorpus("codex");
    }

    @Test
    void faultyCodexCorpusRecordsExactlyTheBrokenLines()
            throws IOException
    {
        assertCodexCorpus("codex_faults");
    }

    private void assertCodexCorpus(String name)
            throws IOException
    {
        Path corpus = SharedFixtures.path("synthetic/" + name);
        JsonNode expected = new ObjectMapper().readTree(corpus.resolve("expected.json").toFile());
        List<SourceRoot> roots = List.of(new SourceRoot(new CodexFormat(), corpus.resolve("sessions")));
        LoadReport first = new Loader(warehouse, "test").load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(expected.get("corpus").get("session_files").asInt(), first.files().loaded());
        CodexAnswerKey.assertCorpus(dsl, expected, corpus);
        ClaudeCodeAnswerKey.assertFaults(dsl, expected, corpus);

        LoadReport second = new Loader(warehouse, "test").load(roots, LoadOptions.FULL_REFRESH, "test", LoadListener.NONE);
        assertEquals(0, second.rows().rowsChanged());
    }

    @Test
    void textIsStoredOnceAndTheViewsGiveBackEveryMessageAndToolOutputWhole()
            throws IOException
    {
        List<SourceRoot> roots = List.of(
                new SourceRoot(new ClaudeCodeFormat(), SharedFixtures.path("synthetic/claude_code/projects")),
                new SourceRoot(new CodexFormat(), SharedFixtures.path("synthetic/codex/sessions")));
        new Loader(warehouse, "test").load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);

        ObjectMapper mapper = new ObjectMapper();
        Map<List<Object>, JsonNode> storedContent = new HashMap<>();
        dsl.select(V_MESSAGES.TRACE_ID, V_MESSAGES.ORDINAL, V_MESSAGES.CONTENT).from(V_MESSAGES)
                .forEach(row -> storedContent.put(List.of(row.value1(), row.value2()), readTree(mapper, row.value3())));
        Map<List<Object>, String> storedResults = new HashMap<>();
        dsl.select(V_TOOL_CALLS.TRACE_ID, V_TOOL_CALLS.TOOL_CALL_ID, V_TOOL_CALLS.RESULT_TEXT).from(V_TOOL_CALLS)
                .forEach(row -> storedResults.put(List.of(row.value1(), row.value2()), row.value3()));

        Map<List<Object>, JsonNode> parsedContent = new HashMap<>();
        Map<List<Object>, String> parsedResults = new HashMap<>();
        for (SourceRoot root : roots) {
            for (Path file : root.format().discover(root.root())) {
                try (InputStream input = Files.newInputStream(file)) {
                    for (Trace trace : root.format().parse(file, input, ReadOptions.DEFAULT).traces()) {
                        for (Message message : trace.messages()) {
                            ArrayNode blocks = mapper.createArrayNode();
                            for (ContentBlock block : message.content()) {
                                ObjectNode node = blocks.addObject().put("type", block.type());
                                if (block.text() != null) {
                                    node.put("text", block.text());
                                }
                                if (block.mediaType() != null) {
                                    node.put("media_type", block.mediaType());
                                }
                            }
                            parsedContent.put(List.of(trace.traceId(), message.ordinal()), blocks);
                        }
                        for (ToolCall call : trace.toolCalls()) {
                            // an exec output wrapped in JSON can decode to characters no database stores
                            parsedResults.put(List.of(trace.traceId(), call.toolCallId()), TextSanitizer.clean(call.resultText()));
                        }
                    }
                }
            }
        }
        assertSameEntries(parsedContent, storedContent, "message content");
        assertSameEntries(parsedResults, storedResults, "tool output");

        assertTrue(dsl.fetchCount(MESSAGES, MESSAGES.CONTENT.isNull()) > storedContent.size() / 2, "most messages are one text block, stored once");
        assertTrue(dsl.fetchCount(TOOL_CALLS, TOOL_CALLS.RESULT_TEXT.isNotNull()) > 0, "Codex's wrapped exec output is kept where it differs");
        assertEquals(0, dsl.fetchCount(TOOL_CALLS.join(MESSAGES).on(MESSAGES.TRACE_ID.eq(TOOL_CALLS.TRACE_ID).and(MESSAGES.ORDINAL.eq(TOOL_CALLS.RESULT_ORDINAL)))
                .where(TOOL_CALLS.RESULT_TEXT.eq(MESSAGES.TEXT_CONTENT))), "no tool output is stored twice");
    }

    @Test
    void claudeCodeAndCodexUsageSitSideBySide()
            throws IOException
    {
        new Loader(warehouse, "test").load(List.of(
                new SourceRoot(new ClaudeCodeFormat(), SharedFixtures.path("synthetic/claude_code/projects")),
                new SourceRoot(new CodexFormat(), SharedFixtures.path("synthetic/codex/sessions"))), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(List.of("claude_code", "codex"), dsl.selectDistinct(V_USAGE_DAILY.SOURCE_KIND).from(V_USAGE_DAILY)
                .orderBy(V_USAGE_DAILY.SOURCE_KIND).fetch(V_USAGE_DAILY.SOURCE_KIND));
    }

    /** A --path without --format gives every format the same folder: each file goes to the format its content is. */
    @Test
    void formatsFindingTheSameFilesAreToldApartByContent()
            throws IOException
    {
        Map<String, String> copies = Map.of(
                "synthetic/claude_code/projects/-home-alice-src-billing-api-19/cbd4dfc3-42d1-495d-bd09-06c30cc084bb.jsonl", "claude/session.jsonl",
                "synthetic/codex/sessions/2026/03/05/rollout-2026-03-05T00-12-23-019cbb56-a373-785d-9bf8-c1b01a2bba72.jsonl",
                "codex/rollout-2026-03-05T00-12-23-019cbb56-a373-785d-9bf8-c1b01a2bba72.jsonl",
                "pi_coding_agent/pi-mono/session.jsonl", "pi/session.jsonl",
                "openclaw/agent-sessions/Resources/Fixtures/stage0/agents/openclaw/small.jsonl", "agents/main/sessions/small.jsonl",
                "atif/openagents/apps/qa-runner/samples/login-trace/trajectory.json", "atif/trajectory.json",
                "hermes_agent/agent-sessions/Resources/Fixtures/stage0/agents/hermes/small.json", "sessions/session_small.json",
                // Qwen Code lines carry Claude Code's uuid/parentUuid/sessionId; the second file's first line holds two records
                "qwen_code/splitrail/src/analyzers/tests/source_data/qwen_code.jsonl", "qwen_code/chats/qwen_code.jsonl",
                "qwen_code/agent-sessions/Resources/Fixtures/stage0/agents/qwen/019f0000-0000-7000-8000-000000000005.jsonl",
                "qwen_code/chats/019f0000-0000-7000-8000-000000000005.jsonl",
                // a Copilot CLI event log outside its session-state folder, found by Claude Code's discovery too
                "copilot_cli/agent-sessions/Resources/Fixtures/stage0/agents/copilot/small.jsonl", "copilot_cli/small.jsonl");
        Map<String, String> expectedKinds = new HashMap<>();
        for (Map.Entry<String, String> copy : copies.entrySet()) {
            Path target = projects.resolve(copy.getValue());
            Files.createDirectories(target.getParent());
            Files.copy(SharedFixtures.path(copy.getKey()), target);
            expectedKinds.put(target.toRealPath().toString(), copy.getValue().startsWith("agents/") ? "openclaw" : copy.getValue().substring(0, copy.getValue().indexOf('/')));
        }
        expectedKinds.replaceAll((path, kind) -> switch (kind) {
            case "claude" -> "claude_code";
            case "pi" -> "pi_coding_agent";
            // the folder given is a Hermes home: Hermes reads its sessions/ folder
            case "sessions" -> "hermes_agent";
            default -> kind;
        });

        LoadReport report = new Loader(warehouse, "test").load(Formats.all().stream().map(format -> new SourceRoot(format, projects)).toList(),
                LoadOptions.INCREMENTAL, "test", LoadListener.NONE);

        assertEquals(copies.size(), report.files().loaded());
        assertEquals(expectedKinds, dsl.select(SOURCE_FILES.PATH, SOURCE_FILES.SOURCE_KIND).from(SOURCE_FILES).fetchMap(SOURCE_FILES.PATH, SOURCE_FILES.SOURCE_KIND));
        assertEquals(0, dsl.fetchCount(LOAD_ERRORS, LOAD_ERRORS.ERROR_CLASS.eq("duplicate_session")));
    }

    @Test
    void secondLoadOfTheSameScopeIsRefusedWhileTheFirstHoldsTheLock()
            throws Exception
    {
        writeSession(userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi", 10));
        try (LoadLock held = LoadLock.acquire(database.url(), Shard.ALL.lockScope(LoadOptions.INCREMENTAL.sourceHost()), "test", false, waiting -> {}).orElseThrow()) {
            assertThrows(LoadLockedException.class, () -> load(false));
            assertTrue(LoadLock.acquire(database.url(), new Shard(1, 2).lockScope(LoadOptions.INCREMENTAL.sourceHost()), "test", false, waiting -> {}).map(lock -> {
                lock.close();
                return true;
            }).orElse(false), "a shard has its own lock scope");

            ExecutorService other = Executors.newSingleThreadExecutor();
            try (Warehouse second = Warehouse.open(database.url())) {
                Future<LoadReport> waiting = other.submit(() -> new Loader(second, "test")
                        .load(roots(), LoadOptions.INCREMENTAL.withWaitForLock(), "test", LoadListener.NONE));
                Thread.sleep(1500);
                assertFalse(waiting.isDone(), "a load with --wait waits for the lock");
                held.close();
                assertEquals(1, waiting.get(30, TimeUnit.SECONDS).rows().tracesInserted());
            }
            finally {
                other.shutdownNow();
            }
        }
        assertEquals(1, dsl.fetchCount(SESSIONS));
    }

    @Test
    void aRunLeftRunningByAKilledLoadIsMarkedInterruptedByTheNextLoadOfItsScope()
            throws IOException
    {
        writeSession(userLine("u1", "hello") + assistantLine("a1", "msg_1", "hi", 10));
        LoadRunStore runs = new LoadRunStore(dsl);
        // what a killed load leaves: its row still running, in its scope, and another scope's load that may be going on
        long killed = runs.start("killed", Shard.ALL.lockScope(LoadOptions.INCREMENTAL.sourceHost()), LoadOptions.INCREMENTAL.sourceHost(), "test", "7", new LoadRunStore.SecretsSetting("off", null));
        long otherScope = runs.start("shard", new Shard(1, 2).lockScope(LoadOptions.INCREMENTAL.sourceHost()), LoadOptions.INCREMENTAL.sourceHost(), "test", "7", new LoadRunStore.SecretsSetting("off", null));

        LoadReport report = load(false);

        assertEquals(LoadRunStore.Status.SUCCEEDED, report.status());
        assertEquals("interrupted", dsl.select(LOAD_RUNS.STATUS).from(LOAD_RUNS).where(LOAD_RUNS.RUN_ID.eq(killed)).fetchOne(LOAD_RUNS.STATUS));
        assertNotNull(dsl.select(LOAD_RUNS.ENDED_AT).from(LOAD_RUNS).where(LOAD_RUNS.RUN_ID.eq(killed)).fetchOne(LOAD_RUNS.ENDED_AT));
        assertEquals("running", dsl.select(LOAD_RUNS.STATUS).from(LOAD_RUNS).where(LOAD_RUNS.RUN_ID.eq(otherScope)).fetchOne(LOAD_RUNS.STATUS));
        assertEquals("succeeded", dsl.select(LOAD_RUNS.STATUS).from(LOAD_RUNS).where(LOAD_RUNS.RUN_ID.eq(report.runId())).fetchOne(LOAD_RUNS.STATUS));
    }

    @Test
    void concurrentWaitingLoadsNeitherDuplicateNorLoseRows()
            throws Exception
    {
        Path corpus = SharedFixtures.path("synthetic/claude_code/projects");
        List<SourceRoot> roots = List.of(new SourceRoot(new ClaudeCodeFormat(), corpus));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Warehouse first = Warehouse.open(database.url()); Warehouse second = Warehouse.open(database.url())) {
            LoadOptions waiting = LoadOptions.INCREMENTAL.withWaitForLock();
            Future<LoadReport> a = pool.submit(() -> new Loader(first, "test").load(roots, waiting, "a", LoadListener.NONE));
            Future<LoadReport> b = pool.submit(() -> new Loader(second, "test").load(roots, waiting, "b", LoadListener.NONE));
            List<LoadReport> reports = List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
            assertEquals(29, reports.stream().mapToInt(report -> report.files().loaded()).sum(), "one load reads everything, the other nothing");
        }
        finally {
            pool.shutdownNow();
        }
        Map<String, String> concurrent = WarehouseChecksum.of(dsl);
        try (TestDatabase single = TestDatabase.create(kind()); Warehouse clean = single.open()) {
            new Loader(clean, "test").load(roots, LoadOptions.INCREMENTAL, "clean", LoadListener.NONE);
            assertEquals(WarehouseChecksum.of(clean.dsl()), concurrent);
        }
    }

    @Test
    void shardsTogetherLoadWhatOneLoadDoes()
            throws Exception
    {
        List<SourceRoot> roots = List.of(new SourceRoot(new ClaudeCodeFormat(), SharedFixtures.path("synthetic/claude_code/projects")));
        int loaded = 0;
        for (int index = 1; index <= 3; index++) {
            LoadReport report = new Loader(warehouse, "test").load(roots, LoadOptions.INCREMENTAL.withShard(new Shard(index, 3)), "shard", LoadListener.NONE);
            assertTrue(report.files().loaded() < 29, "a shard loads part of the files");
            loaded += report.files().loaded();
        }
        assertEquals(29, loaded);
        try (TestDatabase single = TestDatabase.create(kind()); Warehouse clean = single.open()) {
            new Loader(clean, "test").load(roots, LoadOptions.INCREMENTAL, "clean", LoadListener.NONE);
            assertEquals(WarehouseChecksum.of(clean.dsl()), WarehouseChecksum.of(dsl));
        }
    }

    @Test
    void sinceLeavesOutOlderFiles()
            throws IOException
    {
        Path file = writeSession(userLine("u1", "hello"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
        LoadReport report = new Loader(warehouse, "test").load(roots(), LoadOptions.INCREMENTAL.withModifiedSince(Instant.parse("2025-06-01T00:00:00Z")), "since", LoadListener.NONE);
        assertEquals(0, report.files().scanned());
        assertEquals(0, dsl.fetchCount(SESSIONS));
    }

    @Test
    void purgeDeletesOnlyTracesOfFilesMissingBeforeTheDate()
            throws IOException
    {
        Path file = writeSession(userLine("u1", "hello"));
        load(false);
        Files.delete(file);
        load(false);
        SourceFileStore store = new SourceFileStore(dsl, LoadOptions.INCREMENTAL.sourceHost());
        assertEquals(0, store.purgeMissing(Instant.now().minusSeconds(3600), false, LoaderContract::exists).paths().size());
        SourceFileStore.Purge dryRun = store.purgeMissing(Instant.now().plusSeconds(3600), true, LoaderContract::exists);
        assertEquals(List.of(1, 1), List.of(dryRun.paths().size(), dryRun.traceIds().size()));
        assertEquals(1, dsl.fetchCount(SESSIONS));
        store.purgeMissing(Instant.now().plusSeconds(3600), false, LoaderContract::exists);
        assertEquals(0, dsl.fetchCount(SESSIONS));
        assertEquals(0, dsl.fetchCount(MESSAGES));
        assertEquals(0, dsl.fetchCount(SOURCE_FILES));
    }

    @Test
    void everyRealClaudeCodeFixtureLoadsWithoutErrors()
            throws IOException
    {
        Path fixtures = SharedFixtures.path("claude_code");
        LoadReport report = new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), fixtures)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(LoadRunStore.Status.SUCCEEDED, report.status());
        assertEquals(Map.of(), dsl.select(LOAD_ERRORS.SOURCE_PATH, LOAD_ERRORS.MESSAGE).from(LOAD_ERRORS).fetchMap(LOAD_ERRORS.SOURCE_PATH, LOAD_ERRORS.MESSAGE));
        assertTrue(dsl.fetchCount(SESSIONS) > 20);
        assertTrue(dsl.fetchCount(TOOL_CALLS) > 0);
        long orphanToolMessages = dsl.fetchCount(MESSAGES, MESSAGES.ROLE.eq("tool").and(MESSAGES.TOOL_CALL_ID.isNull()));
        assertEquals(0, orphanToolMessages);
    }

    /**
     * Two real transcripts write their prompt cache with a 1-hour TTL (26 responses, 111,225 tokens, read from the
     * files' usage.cache_creation): the rows keep those writes apart, v_usage_daily sums them beside all the day's
     * writes, and reading the files again changes nothing.
     */
    @Test
    void oneHourCacheWritesAreStoredAndSummedByDay()
            throws IOException
    {
        List<SourceRoot> fixtures = List.of(new SourceRoot(new ClaudeCodeFormat(), SharedFixtures.path("claude_code")));
        new Loader(warehouse, "test").load(fixtures, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);

        assertEquals(List.of(26L, 111_225L), dsl.select(DSL.count(), DSL.sum(TOKEN_USAGE.CACHE_CREATION_1H_INPUT_TOKENS)).from(TOKEN_USAGE)
                .where(TOKEN_USAGE.CACHE_CREATION_1H_INPUT_TOKENS.gt(0L)).fetchOne().intoStream().map(value -> ((Number) value).longValue()).toList());
        // per day and model: responses, all cache writes, 1-hour cache writes (the other 2026-04-18 sessions wrote 5-minute ones)
        assertEquals(Map.of("2026-02-16 claude-opus-4-6", List.of(9L, 9_036L, 9_036L), "2026-04-18 claude-opus-4-7", List.of(43L, 244_699L, 102_189L)),
                dsl.selectFrom(V_USAGE_DAILY).where(V_USAGE_DAILY.CACHE_CREATION_1H_INPUT_TOKENS.gt(0L))
                        .fetchMap(row -> row.getDay() + " " + row.getModel(),
                                row -> List.of(row.getResponses(), row.getCacheCreationInputTokens(), row.getCacheCreation_1hInputTokens())));
        assertEquals(111_225L, dsl.select(DSL.sum(V_USAGE_DAILY.CACHE_CREATION_1H_INPUT_TOKENS)).from(V_USAGE_DAILY).fetchOne(0, Long.class));

        LoadReport again = new Loader(warehouse, "test").load(fixtures, LoadOptions.FULL_REFRESH, "test", LoadListener.NONE);
        assertEquals(0, again.rows().rowsChanged());
    }

    private LoadReport load(boolean fullRefresh)
            throws IOException
    {
        return new Loader(warehouse, "test").load(roots(), fullRefresh ? LoadOptions.FULL_REFRESH : LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
    }

    /** The database's own tuning with one file per transaction, so concurrent writers meet on every file. */
    private LoadTuning oneFilePerBatch()
    {
        LoadTuning tuning = LoadTuning.of(warehouse.url().vendor());
        return tuning.withBatchFiles(1);
    }

    private List<SourceRoot> roots()
    {
        return List.of(new SourceRoot(new ClaudeCodeFormat(), projects));
    }

    private Path writeSession(String jsonl)
            throws IOException
    {
        Path file = projects.resolve(SESSION + ".jsonl");
        Files.writeString(file, jsonl);
        return file;
    }

    /** Like assertEquals on maps, but names only the first differing keys instead of printing every value. */
    private static <K, V> void assertSameEntries(Map<K, V> expected, Map<K, V> actual, String what)
    {
        assertEquals(expected.keySet(), actual.keySet(), what + " keys");
        List<String> differences = expected.keySet().stream()
                .filter(key -> !Objects.equals(expected.get(key), actual.get(key)))
                .limit(3)
                .map(key -> key + ": " + difference(String.valueOf(expected.get(key)), String.valueOf(actual.get(key))))
                .toList();
        assertEquals(List.of(), differences, what + " differs");
    }

    /** Where two long values part, with a little context. */
    private static String difference(String expected, String actual)
    {
        int at = 0;
        while (at < expected.length() && at < actual.length() && expected.charAt(at) == actual.charAt(at)) {
            at++;
        }
        int from = Math.max(0, at - 20);
        return "at " + at + " expected …" + expected.substring(from, Math.min(expected.length(), at + 40))
                + "… but was …" + actual.substring(from, Math.min(actual.length(), at + 40)) + "…";
    }

    private static JsonNode readTree(ObjectMapper mapper, String json)
    {
        try {
            return mapper.readTree(json);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean exists(String path)
    {
        return Files.exists(Path.of(path));
    }

    private static String userLine(String uuid, String text)
    {
        return """
                {"type":"user","uuid":"%s","sessionId":"%s","timestamp":"2025-07-01T10:00:00.000Z","message":{"role":"user","content":"%s"}}
                """.formatted(uuid, SESSION, text);
    }

    private static String assistantLine(String uuid, String messageId, String text, int outputTokens)
    {
        return """
                {"type":"assistant","uuid":"%s","sessionId":"%s","requestId":"req_%s","timestamp":"2025-07-01T10:00:05.000Z","message":{"id":"%s","model":"claude-opus-4-6","role":"assistant","content":[{"type":"text","text":"%s"}],"usage":{"input_tokens":4,"output_tokens":%d,"cache_read_input_tokens":50,"cache_creation_input_tokens":7}}}
                """.formatted(uuid, SESSION, messageId, messageId, text, outputTokens);
    }
}
