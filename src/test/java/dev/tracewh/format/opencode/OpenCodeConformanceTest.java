package dev.tracewh.format.opencode;

import dev.tracewh.format.FileHead;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared OpenCode fixtures: the real 1.18.33 database (a {@code sqlite3 .dump}, built into a database here) and the
 * synthetic legacy JSON trees of agent-sessions ({@code storage_v2}, and {@code storage_legacy} with its flat
 * {@code part/}). Expected values come from reading the fixture rows: messages and their parts, the tool call with
 * its {@code state}, one usage row per {@code step-finish} part, the session's times.
 */
class OpenCodeConformanceTest
{
    private static final String DUMP = "opencode/lazyagents/internal/agent/testdata/fixtures/opencode/1.18.33/home/.local/share/opencode/opencode.sql";
    private static final String TREES = "opencode/agent-sessions/Resources/Fixtures/stage0/agents/opencode/";

    private final OpenCodeFormat format = new OpenCodeFormat();

    @TempDir
    Path data;

    @Test
    void realDatabaseOf1_18_33()
            throws IOException, SQLException
    {
        Path db = OpenCodeStore.fromDump(SharedFixtures.path(DUMP), data.resolve("opencode.db"));
        assertEquals(List.of(db), format.discover(data));
        assertTrue(format.recognizes(db, FileHead.read(db, JsonLines.newMapper())));
        ParsedFile parsed = parse(db, ReadOptions.DEFAULT);
        assertEquals(List.of(), parsed.issues());
        assertEquals(1, parsed.traces().size());
        Trace trace = parsed.traces().getFirst();
        assertEquals("ses_f0de500f8ffeXvsiYJDOg5JtrU", trace.traceId());
        assertEquals("opencode", trace.sourceKind());
        assertEquals(db.toString(), trace.sourcePath());
        assertEquals("ses_f0de500f8ffeXvsiYJDOg5JtrU", trace.rootSessionId());
        assertFalse(trace.isSidechain());
        assertNull(trace.agentId());
        // user; assistant 1 (the bash call); its result; assistant 2
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 2L, Role.TOOL, 1L), roles(trace));
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT), trace.messages().stream().map(message -> message.role()).toList());
        assertEquals("\"run echo fixture please\"", trace.messages().getFirst().text());
        assertEquals(List.of(new ToolCall("call_1", 1, 0, "bash", "{\"command\":\"echo fixture\"}", Instant.ofEpochMilli(1790768251611L), 2, "fixture\n",
                false, 0L, 0.055)), trace.toolCalls());
        assertEquals("call_1", trace.messages().get(2).toolCallId());
        assertEquals("The command printed fixture.", trace.finalAssistantMessage());
        // one row per step-finish part; input already excludes the 100 cache-read tokens: 120 + 50 = the session's 170
        List<TokenUsage> usage = trace.tokenUsage();
        assertEquals(List.of("prt_0f21b0315001UbHx9JXmviMyiM", "prt_0f21b033a001VTlTYA9mpcWy8P"), usage.stream().map(TokenUsage::responseId).toList());
        assertEquals(List.of(120L, 0L, 0L, 8L, 0L), tokens(usage.get(0)));
        assertEquals(List.of(50L, 0L, 100L, 6L, 0L), tokens(usage.get(1)));
        assertEquals("msg_0f21b031b0014ZxYbhc4DxjZrb", usage.get(1).requestId());
        assertEquals(List.of(1, 3), usage.stream().map(TokenUsage::messageOrdinal).toList());
        assertEquals(List.of("fake-model"), trace.models());
        assertEquals("/work/proj", trace.cwd());
        assertEquals("/work/proj", trace.projectPath(), "the global project's worktree is /");
        assertEquals(Instant.ofEpochMilli(1790768250632L), trace.startedAt());
        assertEquals(Instant.ofEpochMilli(1790768251721L), trace.endedAt());
        assertEquals("The command printed fixture.", trace.title());
        assertEquals(List.of("1.18.33"), trace.toolVersions());
        assertEquals("sqlite", trace.sourceMeta().get("storage"));
        assertEquals("sunny-nebula", trace.sourceMeta().get("slug"));
        assertEquals(170L, trace.sourceMeta().get("tokens_input"));
        assertEquals(BigDecimal.ZERO, ((BigDecimal) trace.sourceMeta().get("cost_usd")).stripTrailingZeros());
        assertEquals("1790768251721", parsed.cursor(), "the newest update of the session, its messages and parts");
    }

    @Test
    void jsonTreeWithAnAbortedMultiPartMessage()
            throws IOException
    {
        Path storage = SharedFixtures.path(TREES + "storage_v2");
        List<Path> files = format.discover(storage);
        assertEquals(List.of(storage.resolve("session/proj_test/ses_s_stage0_large.json"), storage.resolve("session/proj_test/ses_s_stage0_small.json")),
                files);

        ParsedFile parsed = parse(files.get(0), ReadOptions.DEFAULT);
        assertEquals(List.of(), parsed.issues());
        Trace large = parsed.traces().getFirst();
        assertEquals("s_stage0_large", large.traceId());
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.USER, Role.ASSISTANT), large.messages().stream().map(message -> message.role()).toList());
        ToolCall call = large.toolCalls().getFirst();
        assertEquals(1, large.toolCalls().size());
        assertEquals("call_large_1", call.toolCallId());
        assertEquals("{\"command\":\"ls /non-existent-directory\",\"cwd\":\"/tmp/large\"}", call.arguments());
        // status completed, but bash exited 1
        assertEquals(true, call.isError());
        assertEquals(1L, call.exitCode());
        assertEquals("ls: /non-existent-directory: No such file or directory\n", call.resultText());
        assertEquals(2, call.resultOrdinal());
        // the assistant's synthetic text is kept; the file part is a block without payload; the reasoning part is reasoning
        assertEquals("Command failed with exit code 1.", large.messages().get(1).text());
        assertEquals(List.of("text", "file"), large.messages().get(1).content().stream().map(block -> block.type()).toList());
        assertEquals("text/plain", large.messages().get(1).content().get(1).mediaType());
        assertEquals("Investigating failing command.", large.messages().get(1).reasoningContent());
        assertEquals("Ok", large.finalAssistantMessage());
        assertEquals(1, large.tokenUsage().size());
        assertEquals("p_step_finish_large_1", large.tokenUsage().getFirst().responseId());
        assertEquals(List.of(120L, 0L, 0L, 16L, 0L), tokens(large.tokenUsage().getFirst()));
        assertEquals(List.of("MessageAbortedError: The operation was aborted."), large.sourceMeta().get("message_errors"));
        assertEquals(1L, large.sourceMeta().get("costs_not_a_number"), "the step's cost is an object here, not a USD number");
        assertEquals("json", large.sourceMeta().get("storage"));
        assertEquals(List.of("gpt-4o-mini"), large.models());
        assertEquals(List.of("1.3.17"), large.toolVersions());
        assertEquals("/tmp/large", large.cwd());
        assertEquals(Instant.ofEpochMilli(1730000100000L), large.startedAt());
        assertEquals(Instant.ofEpochMilli(1730000109000L), large.endedAt());

        Trace small = parse(files.get(1), ReadOptions.DEFAULT).traces().getFirst();
        assertEquals("s_stage0_small", small.traceId());
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 1L, Role.TOOL, 1L), roles(small));
        assertEquals(List.of(new ToolCall("call_1", 1, 0, "bash", "{\"command\":\"ls\",\"cwd\":\"/tmp/repo\"}", Instant.ofEpochMilli(1730000002500L), 2,
                "a.txt\nb.txt\n", false, 0L, 0.5)), small.toolCalls());
        assertEquals("Found 2 files.", small.finalAssistantMessage());
        assertEquals(List.of(), small.tokenUsage());
        assertEquals(1L, small.sourceMeta().get("summary_additions"));
    }

    @Test
    void oldestTreeWithFlatParts()
            throws IOException
    {
        Path storage = SharedFixtures.path(TREES + "storage_legacy");
        List<Path> files = format.discover(storage);
        assertEquals(1, files.size());
        ParsedFile parsed = parse(files.getFirst(), ReadOptions.DEFAULT);
        assertEquals(List.of(), parsed.issues());
        Trace drift = parsed.traces().getFirst();
        assertEquals("s_stage0_drift", drift.traceId());
        // the user message has no part: no message; the assistant's parts lie flat in part/, naming their message
        assertEquals(List.of(Role.ASSISTANT, Role.TOOL), drift.messages().stream().map(message -> message.role()).toList());
        assertEquals(1L, drift.sourceMeta().get("messages_without_content"));
        ToolCall call = drift.toolCalls().getFirst();
        assertEquals("call_legacy_1", call.toolCallId());
        assertEquals("# Title\n\nBody\n", call.resultText());
        assertEquals(false, call.isError(), "an older writer's status success");
        assertNull(call.exitCode());
        assertEquals("Read README and extracted the title.", drift.finalAssistantMessage());
        assertEquals(List.of("gpt-4o-mini"), drift.models(), "modelID at the message's top level");
        assertEquals(List.of("0.1"), drift.toolVersions());
        assertEquals(List.of(), drift.tokenUsage());
    }

    private ParsedFile parse(Path file, ReadOptions options)
            throws IOException
    {
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, options);
        }
    }

    static List<Long> tokens(TokenUsage usage)
    {
        return List.of(usage.inputTokens(), usage.cacheCreationInputTokens(), usage.cacheReadInputTokens(), usage.outputTokens(),
                usage.reasoningOutputTokens());
    }

    static Map<Role, Long> roles(Trace trace)
    {
        return new TreeMap<>(trace.messages().stream().collect(groupingBy(message -> message.role(), counting())));
    }
}
