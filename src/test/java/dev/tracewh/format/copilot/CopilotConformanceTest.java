package dev.tracewh.format.copilot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.Formats;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.load.LoadListener;
import dev.tracewh.load.LoadOptions;
import dev.tracewh.load.LoadReport;
import dev.tracewh.load.Loader;
import dev.tracewh.load.SourceRoot;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.Warehouse;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parser, then the load on H2 and PostgreSQL, over the four synthetic Copilot CLI logs of the shared fixtures (no
 * real log is redistributable). Expected values come from reading each file: system/user/assistant messages and tool
 * results are messages, session/hook/turn events are not; a tool call is counted once though written twice; usage
 * rows come only from a shutdown's {@code modelMetrics} with {@code usage} (no fixture has a session store).
 */
class CopilotConformanceTest
{
    private static final String FOLDER = "copilot_cli/agent-sessions/Resources/Fixtures/stage0/agents/copilot/";
    private static final String CURRENT = "subdir_v1/aaaabbbb-1111-2222-3333-ccccddddeeee/events.jsonl";
    private static final String TRIMMED = "[trimmed for fixture]";

    private final CopilotFormat format = new CopilotFormat();

    @TempDir
    Path home;

    @Test
    void theFourLogsAreFoundByTheirContentAndAreCopilots()
            throws IOException
    {
        List<Path> found = format.discover(SharedFixtures.path("copilot_cli"));
        assertEquals(List.of(FOLDER + "large.jsonl", FOLDER + "schema_drift.jsonl", FOLDER + "small.jsonl", FOLDER + CURRENT),
                found.stream().map(path -> SharedFixtures.root().relativize(path).toString()).toList());
        ObjectMapper mapper = JsonLines.newMapper();
        for (Path file : found) {
            FileHead head = FileHead.read(file, mapper);
            assertEquals("copilot_cli", Formats.all().stream().filter(each -> each.recognizes(file, head)).map(TraceFormat::id).findFirst().orElseThrow(),
                    file.toString());
        }
    }

    @Test
    void smallLogWithSubAgentResumesAndRedactedHalf()
            throws IOException
    {
        ParsedFile parsed = parse("small.jsonl");
        assertEquals(List.of(), parsed.issues());
        assertEquals(List.of("copilot_stage0_small", "copilot_stage0_small:" + TRIMMED), parsed.traces().stream().map(Trace::traceId).toList());
        Trace main = parsed.traces().getFirst();
        // system, user, 4 assistant messages, 3 tool results (one of them the orphan right after the shutdown), and the
        // agent_completed notification; the sub-agent's three events (parentToolCallId) are not in it
        assertEquals(Map.of(Role.SYSTEM, 1L, Role.USER, 3L, Role.ASSISTANT, 4L, Role.TOOL, 3L), roles(main));
        ToolCall shell = main.toolCalls().getFirst();
        assertEquals(List.of("call-1", "shell", "{\"command\":\"ls\"}", 3, false), List.of(shell.toolCallId(), shell.name(), shell.arguments(),
                shell.resultOrdinal(), shell.isError()));
        assertEquals("a.txt\nb.txt\n", shell.resultText());
        // the redacted half reuses one call id: the main agent's second request of it is dropped, its first result is orphaned
        assertEquals(2, main.toolCallCount());
        assertEquals(1L, main.sourceMeta().get("duplicate_tool_call_ids"));
        assertEquals(1L, main.sourceMeta().get("tool_results_without_call"));
        assertEquals(TRIMMED, main.messages().get(10).reasoningContent(), "assistant.reasoning joins the message after it");
        assertTrue(main.messages().get(6).isMeta(), "the notification");
        // the shutdown's modelMetrics has a bare request count and no usage: no usage row
        assertEquals(List.of(), main.tokenUsage());
        assertEquals("none", main.sourceMeta().get("usage_accounting"));
        assertEquals(15L, main.sourceMeta().get("assistant_output_tokens"));
        assertEquals(3L, main.sourceMeta().get("legs"));
        assertEquals(List.of("routine"), main.sourceMeta().get("shutdown_types"));
        assertEquals(3236385000L, ((Number) main.sourceMeta().get("total_nano_aiu")).longValue());
        assertEquals(List.of("1.0.77"), main.toolVersions());
        // the latest resume's context is the redacted one
        assertEquals(TRIMMED, main.cwd());
        assertEquals(List.of("gpt-5-mini", TRIMMED), main.models());
        assertEquals(Instant.parse("2025-12-18T21:32:05Z"), main.startedAt());
        assertEquals(Instant.parse("2025-12-18T21:32:20Z"), main.endedAt());

        Trace sub = parsed.traces().get(1);
        assertEquals(List.of("copilot_stage0_small", TRIMMED, true), List.of(sub.rootSessionId(), sub.agentId(), sub.isSidechain()));
        assertEquals(Map.of(Role.ASSISTANT, 1L, Role.TOOL, 1L), roles(sub));
        assertEquals(1, sub.toolCallCount());
        assertEquals(true, sub.toolCalls().getFirst().isError());
        assertEquals("completed", sub.sourceMeta().get("subagent_status"));
        assertEquals(List.of("claude-haiku-4.5"), sub.models());
    }

    @Test
    void largeLegacyLogWithACallOnlyStarted()
            throws IOException
    {
        ParsedFile parsed = parse("large.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals(1, parsed.traces().size());
        assertEquals("copilot_stage0_large", trace.traceId());
        assertEquals("large", trace.sourceMeta().get("file_session_id"));
        // system, three prompts, four answers, one tool result, and one message standing for call_2, only started
        assertEquals(Map.of(Role.SYSTEM, 1L, Role.USER, 3L, Role.ASSISTANT, 5L, Role.TOOL, 1L), roles(trace));
        assertEquals(List.of("call_1", "call_2"), trace.toolCalls().stream().map(ToolCall::toolCallId).toList());
        assertEquals("{\"command\":\"printf 'line1\\\\nline2\\\\nline3\\\\n'\"}", trace.toolCalls().getFirst().arguments());
        assertNull(trace.toolCalls().get(1).resultOrdinal());
        assertTrue(trace.messages().get(trace.toolCalls().get(1).messageOrdinal()).isSynthetic());
        assertEquals("Ok", trace.finalAssistantMessage());
        assertEquals(List.of("gpt-5"), trace.models());
        assertEquals(List.of("0.0.420"), trace.toolVersions());
        assertEquals(1L, trace.sourceMeta().get("truncations"));
        assertEquals(List.of(), trace.tokenUsage());
        assertNull(trace.cwd());
    }

    @Test
    void schemaDriftWithOutOfOrderStartAndTheRealRollupShape()
            throws IOException
    {
        ParsedFile parsed = parse("schema_drift.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals(Map.of(Role.ASSISTANT, 2L, Role.TOOL, 2L), roles(trace));
        // call_1 starts before the message requesting it: one call, on that message
        assertEquals(1, trace.toolCallCount());
        assertEquals(0, trace.toolCalls().getFirst().messageOrdinal());
        assertEquals(1, trace.toolCalls().getFirst().resultOrdinal());
        assertEquals(1L, trace.sourceMeta().get("tool_results_without_call"), "call_2's result names no call");
        // inputTokens 1000 holds the 800 read from the cache
        TokenUsage usage = trace.tokenUsage().getFirst();
        assertEquals(1, trace.tokenUsage().size());
        assertEquals(List.of(200L, 800L, 0L, 50L, 0L), List.of(usage.inputTokens(), usage.cacheReadInputTokens(), usage.cacheCreationInputTokens(),
                usage.outputTokens(), usage.reasoningOutputTokens()));
        assertEquals(List.of("session-total:gpt-4.1", "copilot_stage0_drift", "gpt-4.1"), List.of(usage.responseId(), usage.requestId(), usage.model()));
        assertEquals(Instant.parse("2025-12-18T22:00:07Z"), usage.createdAt());
        assertEquals("shutdown_rollup", trace.sourceMeta().get("usage_accounting"));
        assertEquals(List.of("claude-haiku-4.5", "gpt-4.1"), trace.models());
        assertEquals("Finished.", trace.finalAssistantMessage());
    }

    @Test
    void currentLayoutTakesItsIdAndPlaceFromTheStart()
            throws IOException
    {
        ParsedFile parsed = parse(CURRENT);
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("aaaabbbb-1111-2222-3333-ccccddddeeee", trace.traceId());
        assertNull(trace.sourceMeta().get("file_session_id"), "the folder is named by the session id");
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 2L, Role.TOOL, 1L), roles(trace));
        // the request's arguments, not the start's (which lack the description)
        assertEquals("{\"command\":\"ls\",\"description\":\"List files\"}", trace.toolCalls().getFirst().arguments());
        assertEquals(List.of("/tmp/project", "/tmp/project", "main"), List.of(trace.cwd(), trace.projectPath(), trace.gitBranch()));
        assertEquals(26L, trace.sourceMeta().get("assistant_output_tokens"));
        assertEquals(List.of(), trace.tokenUsage());
        assertEquals("The directory contains file1 and file2.", trace.finalAssistantMessage());
        assertEquals(Instant.parse("2026-03-26T17:50:34.302Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-03-26T17:50:37.100Z"), trace.endedAt());
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT), trace.messages().stream().map(Message::role).toList());
    }

    /** The fixtures laid out as a Copilot home, loaded from its default folder, then a resumed leg appended to one. */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void loadIntoTheWarehouseThenAResumedLeg(TestDatabase.Kind kind)
            throws IOException
    {
        Path state = Files.createDirectories(home.resolve(".copilot/session-state"));
        for (String name : List.of("small.jsonl", "large.jsonl", "schema_drift.jsonl")) {
            Files.copy(SharedFixtures.path(FOLDER + name), state.resolve(name));
        }
        Path current = Files.createDirectories(state.resolve("aaaabbbb-1111-2222-3333-ccccddddeeee")).resolve(CopilotFormat.EVENTS);
        Files.copy(SharedFixtures.path(FOLDER + CURRENT), current);
        List<SourceRoot> roots = List.of(new SourceRoot(format, format.defaultRoots(new Environment(home, Map.of())).getFirst()));

        try (TestDatabase database = TestDatabase.create(kind); Warehouse warehouse = database.open()) {
            DSLContext dsl = warehouse.dsl();
            LoadReport report = new Loader(warehouse, "test").load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
            assertEquals(0, report.files().errors());
            assertEquals(4, report.files().loaded());
            assertEquals(Map.of("copilot_stage0_small", "11/2/0", "copilot_stage0_small:" + TRIMMED, "2/1/0", "copilot_stage0_large", "10/2/0",
                            "copilot_stage0_drift", "4/1/1", "aaaabbbb-1111-2222-3333-ccccddddeeee", "4/1/0"),
                    new TreeMap<>(dsl.fetch("select s.trace_id, s.message_count, s.tool_call_count, "
                                    + "(select count(*) from token_usage u where u.trace_id = s.trace_id) as usage_rows from sessions s where s.source_kind = 'copilot_cli'")
                            .intoMap(row -> row.get(0, String.class), row -> row.get(1, Integer.class) + "/" + row.get(2, Integer.class) + "/"
                                    + row.get(3, Integer.class))));
            assertEquals(List.of("copilot_stage0_small", "copilot_stage0_small", true),
                    dsl.fetchOne("select root_session_id, parent_trace_id, is_sidechain from v_traces where trace_id = ?", "copilot_stage0_small:" + TRIMMED)
                            .intoList());
            assertEquals(200L, dsl.fetchValue("select input_tokens from token_usage where trace_id = 'copilot_stage0_drift'", Long.class));

            // the session is resumed: a new leg appends its messages and a cumulative shutdown, which replaces the first
            Files.writeString(current, """
                    {"type":"session.resume","data":{"resumeTime":"2026-03-27T09:00:00.000Z","eventCount":8},"id":"e9","timestamp":"2026-03-27T09:00:00.000Z","parentId":"e8"}
                    {"type":"user.message","data":{"content":"and hidden files?"},"id":"e10","timestamp":"2026-03-27T09:00:01.000Z","parentId":"e9"}
                    {"type":"assistant.message","data":{"messageId":"msg-0003","content":"None.","model":"gpt-5-mini","outputTokens":2},"id":"e11","timestamp":"2026-03-27T09:00:02.000Z","parentId":"e10"}
                    {"type":"session.shutdown","data":{"shutdownType":"routine","modelMetrics":{"gpt-5-mini":{"requests":{"count":3,"cost":0},"usage":{"inputTokens":900,"outputTokens":28,"cacheReadTokens":500,"cacheWriteTokens":100}}}},"id":"e12","timestamp":"2026-03-27T09:00:03.000Z","parentId":"e11"}
                    """, StandardOpenOption.APPEND);
            report = new Loader(warehouse, "test").load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
            assertEquals(0, report.files().errors());
            assertEquals(1, report.files().loaded(), "only the grown log is read again");
            assertEquals(6, dsl.fetchValue("select message_count from sessions where trace_id = 'aaaabbbb-1111-2222-3333-ccccddddeeee'", Integer.class));
            assertEquals(List.of(300L, 100L, 500L, 28L), dsl.fetchOne("select input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens "
                    + "from token_usage where trace_id = 'aaaabbbb-1111-2222-3333-ccccddddeeee'").intoList().stream().map(value -> ((Number) value).longValue()).toList());
            assertEquals("None.", dsl.fetchValue("select final_assistant_message from sessions where trace_id = 'aaaabbbb-1111-2222-3333-ccccddddeeee'", String.class));
        }
    }

    /** A sub-agent's trace names, in v_traces, the session that spawned it and the spawning call. */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aSubAgentsSpawningCallIsItsParentToolCallInVTraces(TestDatabase.Kind kind)
            throws IOException
    {
        Path log = Files.createDirectories(home.resolve(".copilot/session-state/s9")).resolve(CopilotFormat.EVENTS);
        Files.writeString(log, """
                {"type":"session.start","data":{"sessionId":"s9","copilotVersion":"1.0.80","startTime":"2026-05-01T10:00:00.000Z"},"id":"e1","timestamp":"2026-05-01T10:00:00.000Z","parentId":null}
                {"type":"user.message","data":{"content":"look around"},"id":"e2","timestamp":"2026-05-01T10:00:01.000Z","parentId":"e1"}
                {"type":"assistant.message","data":{"messageId":"m1","content":"","toolRequests":[{"toolCallId":"task-9","name":"task","arguments":{"prompt":"explore"}}]},"id":"e3","timestamp":"2026-05-01T10:00:02.000Z","parentId":"e2"}
                {"type":"subagent.started","data":{"toolCallId":"task-9","agentName":"explore"},"id":"e4","timestamp":"2026-05-01T10:00:03.000Z","parentId":"e3"}
                {"type":"assistant.message","data":{"messageId":"m2","content":"Found two files."},"id":"e5","timestamp":"2026-05-01T10:00:04.000Z","parentId":"e4","agentId":"agent-9"}
                {"type":"subagent.completed","data":{"toolCallId":"task-9","agentName":"explore"},"id":"e6","timestamp":"2026-05-01T10:00:05.000Z","parentId":"e5","agentId":"agent-9"}
                {"type":"tool.execution_complete","data":{"toolCallId":"task-9","success":true,"result":{"content":"Found two files."}},"id":"e7","timestamp":"2026-05-01T10:00:06.000Z","parentId":"e6"}
                """);

        try (TestDatabase database = TestDatabase.create(kind); Warehouse warehouse = database.open()) {
            new Loader(warehouse, "test").load(List.of(new SourceRoot(format, log.getParent().getParent())), LoadOptions.INCREMENTAL, "test",
                    LoadListener.NONE);
            assertEquals(List.of("s9", "task-9"), warehouse.dsl().fetchOne("select parent_trace_id, parent_tool_call_id from v_traces where trace_id = 's9:agent-9'")
                    .intoList());
        }
    }

    private static Map<Role, Long> roles(Trace trace)
    {
        return new TreeMap<>(trace.messages().stream().collect(groupingBy(Message::role, counting())));
    }

    private ParsedFile parse(String relative)
            throws IOException
    {
        Path file = SharedFixtures.path(FOLDER + relative);
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
    }
}
