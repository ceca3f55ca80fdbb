package dev.tracewh.format.qwencode;

import dev.tracewh.format.ReadOptions;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parser over the seven (synthetic or redacted) Qwen Code files in the shared fixtures. Expected values come from
 * reading each record: user/assistant/tool_result records on the tree become messages, system records do not; a
 * usage row is an assistant record with a non-empty {@code usageMetadata}, counted once per uuid.
 */
class QwenConformanceTest
{
    private static final String AGENT_SESSIONS = "qwen_code/agent-sessions/Resources/Fixtures/stage0/agents/qwen/";

    private final QwenCodeFormat qwen = new QwenCodeFormat();

    @Test
    void discoveryFindsEveryFixtureInTheFolder()
            throws IOException
    {
        // the fixture folder is no chats/ folder: a file given directly is read as it is
        Path file = SharedFixtures.path(AGENT_SESSIONS + "019f0000-0000-7000-8000-000000000001.jsonl");
        assertEquals(List.of(file), qwen.discover(file));
    }

    @Test
    void linearChainWithReasoningToolCallAndNotification()
            throws IOException
    {
        ParsedFile parsed = parse(AGENT_SESSIONS + "019f0000-0000-7000-8000-000000000001.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("019f0000-0000-7000-8000-000000000001", trace.traceId());
        assertEquals("qwen_code", trace.sourceKind());
        // user, assistant (thought + call), tool_result, assistant, ui_telemetry (no message), notification (a user record)
        assertEquals(Map.of(Role.USER, 2L, Role.ASSISTANT, 2L, Role.TOOL, 1L), roles(trace));
        assertTrue(trace.messages().stream().allMatch(message -> message.branch() == 0));
        assertEquals("I should read the synthetic file.", trace.messages().get(1).reasoningContent());
        assertTrue(trace.messages().getLast().isMeta());
        assertFalse(trace.messages().getFirst().isMeta());
        ToolCall call = trace.toolCalls().getFirst();
        assertEquals(1, trace.toolCalls().size());
        assertEquals("synthetic-call-1", call.toolCallId());
        assertEquals("read_file", call.name());
        assertEquals(2, call.resultOrdinal());
        assertEquals("Synthetic file contents.", trace.messages().get(2).text());
        assertEquals(List.of(), trace.tokenUsage());
        assertEquals("/tmp/as-qwen-fixture/project", trace.cwd());
        assertEquals("fixture-branch", trace.gitBranch());
        assertEquals(List.of("synthetic-model"), trace.models());
        assertEquals(Instant.parse("2026-08-17T12:00:00Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-08-17T12:00:05Z"), trace.endedAt());
        assertEquals("The synthetic fixture is valid.", trace.finalAssistantMessage());
    }

    @Test
    void oneUserRecordIsATraceWithoutAnswer()
            throws IOException
    {
        ParsedFile parsed = parse(AGENT_SESSIONS + "019f0000-0000-7000-8000-000000000002.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        // the record's session id names the trace; the file's name is kept beside it
        assertEquals("019f0000-0000-7000-8000-000000000099", trace.traceId());
        assertEquals("019f0000-0000-7000-8000-000000000002", trace.sourceMeta().get("file_session_id"));
        assertEquals(Map.of(Role.USER, 1L), roles(trace));
        assertNull(trace.finalAssistantMessage());
    }

    @Test
    void sessionIdWithoutHyphens()
            throws IOException
    {
        Trace trace = parse(AGENT_SESSIONS + "019f0000000070008000000000000003.jsonl").traces().getFirst();
        assertEquals("019f0000000070008000000000000003", trace.traceId());
        assertEquals(Map.of(Role.USER, 1L), roles(trace));
        assertFalse(trace.sourceMeta().containsKey("file_session_id"));
    }

    @Test
    void rewindLeavesADeadBranchAndARewrittenRecordCountsOnce()
            throws IOException
    {
        ParsedFile parsed = parse(AGENT_SESSIONS + "019f0000-0000-7000-8000-000000000004.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        // 41 user, 42 the abandoned answer, 45 the prompt after the rewind, 46 written twice (one message, last copy)
        assertEquals(List.of("41:0", "42:1", "45:0", "46:0"),
                trace.messages().stream().map(message -> message.lineUuid().substring(34) + ":" + message.branch()).toList());
        assertEquals(3, trace.activePathMessageCount());
        assertEquals(7, trace.messages().getLast().lineNumber());
        assertEquals("Active branch answer.", trace.finalAssistantMessage());
        assertEquals(List.of("synthetic-active-call"), trace.toolCalls().stream().map(ToolCall::toolCallId).toList());
        TokenUsage usage = trace.tokenUsage().getFirst();
        assertEquals(1, trace.tokenUsage().size());
        assertEquals(List.of(12L, 0L, 4L, 0L), List.of(usage.inputTokens(), usage.cacheReadInputTokens(), usage.outputTokens(), usage.reasoningOutputTokens()));
        assertEquals("synthetic-active-model", usage.model());
        // the last title in the file; the artifact snapshot after it is not the leaf, and the path's cwd is the rewound one
        assertEquals("Active branch title", trace.title());
        assertEquals("/tmp/as-qwen-fixture/new-project", trace.cwd());
        assertEquals(1L, trace.sourceMeta().get("rewinds"));
        assertEquals(Instant.parse("2026-08-17T13:00:00Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-08-17T13:00:08Z"), trace.endedAt());
    }

    @Test
    void twoObjectsGluedOnOneLineAreBothRead()
            throws IOException
    {
        ParsedFile parsed = parse(AGENT_SESSIONS + "019f0000-0000-7000-8000-000000000005.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 1L), roles(trace));
        assertEquals(List.of(1L, 1L), trace.messages().stream().map(Message::lineNumber).toList());
        assertEquals("Recovered both synthetic objects.", trace.finalAssistantMessage());
    }

    @Test
    void redactedShapesShareOneUuid()
            throws IOException
    {
        // every uuid is "[trimmed for fixture]": all eight records are one record rewritten, the last (a slash command) wins
        ParsedFile parsed = parse(AGENT_SESSIONS + "system_telemetry.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("[trimmed for fixture]", trace.traceId());
        assertEquals(List.of(), trace.messages());
        assertNull(trace.startedAt());
    }

    @Test
    void telemetryDuplicatesOfTheUsageAreNotCounted()
            throws IOException
    {
        ParsedFile parsed = parse("qwen_code/splitrail/src/analyzers/tests/source_data/qwen_code.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("69f0814a-8bfc-4c8e-93d3-05757f17b96f", trace.traceId());
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 2L, Role.TOOL, 1L), roles(trace));
        ToolCall call = trace.toolCalls().getFirst();
        assertEquals("call_1", call.toolCallId());
        assertEquals(Boolean.TRUE, call.isError());
        assertEquals("Path must be absolute: .", trace.messages().get(2).text());
        // two responses, not four: the api_response telemetry repeats them; the prompt count includes the 50 cached
        assertEquals(List.of(500L, 550L), trace.tokenUsage().stream().map(TokenUsage::inputTokens).toList());
        assertEquals(List.of(0L, 50L), trace.tokenUsage().stream().map(TokenUsage::cacheReadInputTokens).toList());
        assertEquals(List.of(20L, 5L), trace.tokenUsage().stream().map(TokenUsage::outputTokens).toList());
        assertEquals(List.of("coder-model"), trace.models());
        assertEquals(List.of("0.18.1"), trace.toolVersions());
        assertEquals(Instant.parse("2026-06-15T14:40:22.832Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-06-15T14:40:22.976Z"), trace.endedAt());
    }

    private static Map<Role, Long> roles(Trace trace)
    {
        return new TreeMap<>(trace.messages().stream().collect(groupingBy(Message::role, counting())));
    }

    private ParsedFile parse(String relative)
            throws IOException
    {
        Path file = SharedFixtures.path(relative);
        try (InputStream input = Files.newInputStream(file)) {
            return qwen.parse(file, input, ReadOptions.DEFAULT);
        }
    }
}
