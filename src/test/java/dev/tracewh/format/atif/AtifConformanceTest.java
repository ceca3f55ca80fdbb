package dev.tracewh.format.atif;

import dev.tracewh.format.ReadOptions;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real ATIF documents in {@code ../shared/fixtures/atif} (see its MANIFEST): all three load, the two Data
 * Designer rejects whole included. Expected counts are read off the files: one message per step, then one tool
 * message per observation result with content.
 */
class AtifConformanceTest
{
    private static final String LOGIN = "atif/openagents/apps/qa-runner/samples/login-trace/trajectory.json";
    private static final String ORCHESTRATOR = "atif/openagents/.openagents/trajectories/20251205/session-2025-12-05T08-00-23-404Z-ew8gut.atif.json";
    private static final String CONVERTER = "atif/openagents/results/trajectories/regex-log/20251211-161750-ba4ddb16/trajectory.json";

    private final AtifFormat format = new AtifFormat();

    @Test
    void discoveryFindsTheThreeTrajectories()
            throws IOException
    {
        Path root = SharedFixtures.path("atif");
        assertEquals(List.of(root.resolve(ORCHESTRATOR.substring(5)), root.resolve(LOGIN.substring(5)), root.resolve(CONVERTER.substring(5))),
                format.discover(root), "MANIFEST.md is not a trajectory");
    }

    @Test
    void aConformantV17Trajectory()
            throws IOException
    {
        ParsedFile parsed = parse(LOGIN);
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals(1, parsed.traces().size());
        // the session_id is the trace, as in Data Designer; the v1.7 trajectory_id goes to source_meta
        assertEquals("login-trace", trace.traceId());
        assertEquals("login-trace-trajectory", trace.sourceMeta().get("trajectory_id"));
        assertEquals("login-trace", trace.rootSessionId());
        assertFalse(trace.isSidechain());
        // 7 steps (1 user, 6 agent) and 6 results, one per agent step: 13 messages, as Data Designer counts
        assertEquals(13, trace.messageCount());
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 6L, Role.TOOL, 6L), roles(trace));
        assertEquals(6, trace.toolCallCount());
        assertTrue(trace.toolCalls().stream().allMatch(call -> call.resultOrdinal() == call.messageOrdinal() + 1), "each result follows its call");
        assertEquals("done", trace.toolCalls().getLast().name());
        assertEquals("{\"verdict\":\"PASS\",\"summary\":\"Verified openagents.com (5 actions).\"}", trace.toolCalls().getLast().arguments());
        assertEquals("verification_class=test_passed", trace.toolCalls().getLast().resultText());
        assertEquals("Final verdict PASS after 5 action(s).", trace.messages().get(11).reasoningContent());
        // the metrics hold cost_usd 0 only: no token usage, the cost in source_meta
        assertEquals(List.of(), trace.tokenUsage());
        assertEquals(BigDecimal.ZERO, trace.sourceMeta().get("step_cost_usd"));
        assertEquals(Instant.parse("2026-06-24T14:39:44.732Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-06-24T14:39:56.191Z"), trace.endedAt());
        assertEquals(List.of("openagents/khala"), trace.models());
        assertEquals(List.of("0.1.0"), trace.toolVersions());
        assertEquals("ATIF-v1.7", trace.sourceMeta().get("schema_version"));
        assertEquals(7, trace.sourceMeta().get("step_count"));
        assertTrue(trace.sourceMeta().containsKey("final_metrics"));
        // step 1 opens on line 16 of the pretty-printed file
        assertEquals(16, trace.messages().getFirst().lineNumber());
        assertEquals("Goal verified. Marking the session complete.", trace.finalAssistantMessage());
    }

    @Test
    void systemStepsWithObservationsLoad()
            throws IOException
    {
        // Data Designer rejects the file at step 2 ("role 'system' cannot include observation"), allowed since v1.2
        ParsedFile parsed = parse(ORCHESTRATOR);
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("session-2025-12-05T08-00-23-404Z-ew8gut", trace.traceId());
        // 13 steps (12 system, step 4 agent) and 5 results without source_call_id (steps 2, 6, 9, 11, 12)
        assertEquals(18, trace.messageCount());
        assertEquals(Map.of(Role.SYSTEM, 12L, Role.ASSISTANT, 1L, Role.TOOL, 5L), roles(trace));
        assertEquals(0, trace.toolCallCount());
        assertEquals(5L, trace.sourceMeta().get("results_without_call_id"));
        Message result = trace.messages().get(2);
        assertEquals(Role.TOOL, result.role());
        assertNull(result.toolCallId());
        // an object result is kept as JSON text (Data Designer would write a Python repr)
        assertTrue(result.content().getFirst().text().startsWith("{\"command\":\"bun run test:container\",\"passed\":false"));
        assertEquals(List.of("orchestrator"), trace.models(), "agent.model_name stands for the agent step without one");
        assertEquals(List.of(), trace.tokenUsage());
    }

    @Test
    void aConvertersToolResultsBeforeTheirCallsArePairedByTheNameInTheMessage()
            throws IOException
    {
        // Data Designer rejects the file at step 3: system steps with {type, content, result} observations, calls as {id, name, arguments}
        ParsedFile parsed = parse(CONVERTER);
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("tbench-1765491470070-3679a2f1", trace.traceId());
        // 9 steps (1 user, 3 agent, 5 system) and one result per system step
        assertEquals(14, trace.messageCount());
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 3L, Role.SYSTEM, 5L, Role.TOOL, 5L), roles(trace));
        // step 7 makes 4 calls, whose results are steps 3 to 6; step 9 makes 1, whose result is step 8
        assertEquals(5, trace.toolCallCount());
        assertTrue(trace.toolCalls().stream().allMatch(call -> call.resultOrdinal() != null), "every call has its result");
        assertEquals(5L, trace.sourceMeta().get("observations_without_results"));
        // results.success is false in steps 3 and 5
        assertEquals(List.of(true, false, true, false, false), trace.toolCalls().stream().map(ToolCall::isError).toList());
        ToolCall first = trace.toolCalls().getFirst();
        assertEquals("toolu_01TQktt5rHsfYcF1BCvJDFTj", first.toolCallId());
        assertEquals("Write", first.name());
        assertEquals("EACCES: permission denied, mkdir '/app'", first.resultText());
        assertEquals(List.of("claude-sonnet-4-20250514"), trace.models(), "agent.model for agent.model_name");
        assertEquals("anthropic", trace.sourceMeta().get("model_provider"));
        assertEquals("1.4", trace.sourceMeta().get("schema_version"));
        assertEquals(11, trace.messages().getFirst().lineNumber());
        assertTrue(trace.finalAssistantMessage().startsWith("The regex has been saved to"));
    }

    @Test
    void noFixtureIsASubAgentOrRefersToOne()
            throws IOException
    {
        // none of the three names a parent session (agent.extra.parent_session_id) or holds a subagent_trajectory_ref
        for (String fixture : List.of(LOGIN, ORCHESTRATOR, CONVERTER)) {
            List<Trace> traces = parse(fixture).traces();
            assertEquals(1, traces.size(), fixture);
            Trace trace = traces.getFirst();
            assertFalse(trace.isSidechain(), fixture);
            assertEquals(trace.traceId(), trace.rootSessionId(), fixture);
            assertNull(trace.agentId(), fixture);
            for (String key : List.of("parent_session_id", "subagent_trajectory_refs", "subagent_call_ids")) {
                assertFalse(trace.sourceMeta().containsKey(key), fixture + " " + key);
            }
        }
    }

    private ParsedFile parse(String relative)
            throws IOException
    {
        Path file = SharedFixtures.path(relative);
        try (InputStream input = Files.newInputStream(file)) {
            ParsedFile parsed = format.parse(file, input, ReadOptions.DEFAULT);
            assertEquals(Files.size(file), parsed.consumedBytes());
            return parsed;
        }
    }

    private static Map<Role, Long> roles(Trace trace)
    {
        return trace.messages().stream().collect(Collectors.groupingBy(Message::role, Collectors.counting()));
    }
}
