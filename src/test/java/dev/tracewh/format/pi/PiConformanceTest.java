package dev.tracewh.format.pi;

import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.format.openclaw.OpenClawFormat;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parser over the real Pi files and the synthetic OpenClaw files in the shared fixtures. Expected counts come
 * from reading each file line by line (a Python json.loads per line): message entries by role, plus
 * compaction/branch_summary/custom_message entries, which become messages too; tool calls are the assistant
 * {@code toolCall} blocks; a usage row is an assistant message with a {@code usage} object.
 */
class PiConformanceTest
{
    private final PiFormat pi = new PiFormat();
    private final OpenClawFormat openClaw = new OpenClawFormat();

    @Test
    void v1SessionWithTwoObjectsOnOneLine()
            throws IOException
    {
        ParsedFile parsed = parse(pi, "pi_coding_agent/pi-mono/session.jsonl");
        // line 440 holds two JSON objects: that line is an issue, the other 462 lines load
        assertEquals(1, parsed.issues().size());
        assertEquals(440, parsed.issues().getFirst().lineNumber());
        assertEquals(JsonLines.INVALID_JSON, parsed.issues().getFirst().errorClass());
        Trace trace = parsed.traces().getFirst();
        assertEquals("pi_coding_agent", trace.sourceKind());
        // 43 user + 1 bashExecution + 1 compaction summary, 219 assistant, 189 toolResult; a v1 file is one chain
        assertEquals(Map.of(Role.USER, 45L, Role.ASSISTANT, 219L, Role.TOOL, 189L), roles(trace));
        assertTrue(trace.messages().stream().allMatch(message -> message.branch() == 0));
        assertEquals(1, trace.messages().stream().filter(Message::isCompactSummary).count());
        assertEquals(189, trace.toolCalls().size());
        assertEquals(189, trace.toolCalls().stream().filter(call -> call.resultOrdinal() != null).count());
        assertEquals(219, trace.tokenUsage().size());
        assertEquals("1", trace.sourceMeta().get("session_version"));
        // the start is the header's creation; the end the last entry
        assertEquals(Instant.parse("2025-12-17T19:39:21.535Z"), trace.startedAt());
        assertEquals(Instant.parse("2025-12-17T21:23:29.721Z"), trace.endedAt());
        // 181 thinking blocks become reasoning
        assertTrue(trace.messages().stream().anyMatch(message -> message.reasoningContent() != null));
    }

    @Test
    void v1BranchedSessionKeepsAllOfItsChain()
            throws IOException
    {
        ParsedFile parsed = parse(pi, "pi_coding_agent/pi-mono/packages/coding-agent/test/fixtures/before-compaction.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        // 55 user + 3 bashExecution + 2 compactions; Data Designer keeps 0 messages of this file
        assertEquals(Map.of(Role.USER, 60L, Role.ASSISTANT, 484L, Role.TOOL, 448L), roles(trace));
        assertTrue(trace.messages().stream().allMatch(message -> message.branch() == 0));
        assertEquals(2, trace.messages().stream().filter(Message::isCompactSummary).count());
        assertEquals(454, trace.toolCalls().size());
        assertEquals(448, trace.toolCalls().stream().filter(call -> call.resultOrdinal() != null).count());
        assertEquals(484, trace.tokenUsage().size());
        assertEquals(Instant.parse("2025-12-09T00:53:29.825Z"), trace.startedAt());
        assertEquals(Instant.parse("2025-12-09T01:26:35.570Z"), trace.endedAt());
        assertTrue(((String) trace.sourceMeta().get("parent_session")).contains("--Users-badlogic-workspaces-pi-mono--"));
    }

    @Test
    void v3Session()
            throws IOException
    {
        ParsedFile parsed = parse(pi, "pi_coding_agent/agent-history/tests/fixtures/real_sessions/pi/session-01.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("019e963d-6bd6-7ade-8a49-256ac3391bdd", trace.traceId());
        assertEquals("agent-history pi smoke", trace.title());
        assertEquals(List.of("gpt-5.5"), trace.models());
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 1L), roles(trace));
        TokenUsage usage = trace.tokenUsage().getFirst();
        assertEquals(433, usage.inputTokens());
        assertEquals(9, usage.outputTokens());
        assertEquals("3", trace.sourceMeta().get("session_version"));
    }

    @Test
    void pi087WithSystemPromptAndRepeatedIds()
            throws IOException
    {
        ParsedFile parsed = parse(pi, "pi_coding_agent/lazyagents/internal/agent/testdata/fixtures/pi/0.87.1/home/.pi/agent/sessions/--work-proj--/"
                + "2026-09-30T11-37-32-309Z_01a0f21b-0595-72a7-84dc-df0fc0d0de3f.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("Fixture session", trace.title());
        assertEquals("/work/proj", trace.cwd());
        // the system prompt, then two turns of user, assistant (tool call), tool result, assistant
        assertEquals(Map.of(Role.SYSTEM, 1L, Role.USER, 2L, Role.ASSISTANT, 4L, Role.TOOL, 2L), roles(trace));
        assertEquals(Role.SYSTEM, trace.messages().getFirst().role());
        assertTrue(trace.messages().getFirst().text().startsWith("<cwd>\n/work/proj\n</cwd>"));
        // the fake model reuses "call_1" and "chatcmpl-1": both calls and all four responses stay apart
        List<ToolCall> calls = trace.toolCalls();
        assertEquals(List.of("call_1", "call_1@e096cb32"), calls.stream().map(ToolCall::toolCallId).toList());
        assertEquals(List.of(3, 7), calls.stream().map(ToolCall::resultOrdinal).toList());
        // each result message names its call as stored, so an exported conversation pairs them the same way
        assertEquals(List.of("call_1", "call_1@e096cb32"), List.of(trace.messages().get(3).toolCallId(), trace.messages().get(7).toolCallId()));
        assertEquals(4, trace.tokenUsage().size());
        TokenUsage followUp = trace.tokenUsage().get(1);
        assertEquals(50, followUp.inputTokens());
        assertEquals(100, followUp.cacheReadInputTokens());
        assertEquals(6, followUp.outputTokens());
    }

    @Test
    void openClawFiles()
            throws IOException
    {
        Path folder = SharedFixtures.path("openclaw/agent-sessions/Resources/Fixtures/stage0/agents/openclaw");
        assertEquals(List.of("large.jsonl", "schema_drift.jsonl", "small.jsonl"),
                openClaw.discover(folder).stream().map(path -> path.getFileName().toString()).toList());

        Trace large = parse(openClaw, folder.resolve("large.jsonl")).traces().getFirst();
        assertEquals("openclaw", large.sourceKind());
        // the fixture folder is agents/openclaw/, not agents/<agentId>/sessions/: no agent id
        assertEquals(null, large.sourceMeta().get("openclaw_agent_id"));
        // tool results name their call as parent: the path runs m6 .. m1; the hidden custom_message is on a side branch
        assertEquals(7, large.messageCount());
        assertEquals(6, large.activePathMessageCount());
        assertEquals(2, large.toolCalls().stream().filter(call -> call.resultOrdinal() != null).count());

        ParsedFile drift = parse(openClaw, folder.resolve("schema_drift.jsonl"));
        assertEquals(List.of(), drift.issues());
        // the unknown "compact" entry is the leaf and no compaction; the system message stays
        assertEquals(Map.of(Role.SYSTEM, 1L, Role.USER, 1L, Role.ASSISTANT, 1L, Role.TOOL, 1L), roles(drift.traces().getFirst()));
        assertEquals(4, drift.traces().getFirst().activePathMessageCount());
        assertEquals(0, drift.traces().getFirst().messages().stream().filter(Message::isCompactSummary).count());

        Trace small = parse(openClaw, folder.resolve("small.jsonl")).traces().getFirst();
        assertEquals(3, small.activePathMessageCount());
        assertEquals(1, small.toolCalls().size());
    }

    private static Map<Role, Long> roles(Trace trace)
    {
        return new TreeMap<>(trace.messages().stream().collect(groupingBy(Message::role, counting())));
    }

    private static ParsedFile parse(TraceFormat format, String relative)
            throws IOException
    {
        return parse(format, SharedFixtures.path(relative));
    }

    private static ParsedFile parse(TraceFormat format, Path file)
            throws IOException
    {
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
    }
}
