package dev.tracewh.format.geminicli;

import dev.tracewh.format.Environment;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.model.Message;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parser over the nine synthetic Gemini CLI files in the shared fixtures (no real session file is
 * redistributable). Expected counts come from reading each file: {@code user} and {@code gemini} messages become user
 * and assistant messages, each tool call with a {@code result} one tool message, {@code info}/{@code error}/
 * {@code warning} notices no message; a usage row is a {@code gemini} message with {@code tokens}.
 */
class GeminiConformanceTest
{
    private static final String AGENT_SESSIONS = "gemini_cli/agent-sessions/Resources/Fixtures/stage0/agents/gemini/";
    private static final String AGENTSVIEW = "gemini_cli/agentsview/internal/parser/testdata/gemini/";

    private final GeminiFormat format = new GeminiFormat();

    @TempDir
    Path home;

    /** The fixtures keep their sources' names, not the CLI's: found once copied into the CLI's layout. */
    @Test
    void discoveryFindsTheFixturesInTheCliLayout()
            throws IOException
    {
        assertEquals(List.of(), format.discover(SharedFixtures.path("gemini_cli")));
        Path chats = Files.createDirectories(home.resolve(".gemini/tmp/project/chats"));
        try (Stream<Path> files = Files.walk(SharedFixtures.path("gemini_cli"))) {
            for (Path file : files.filter(path -> path.getFileName().toString().contains(".json")).toList()) {
                Files.copy(file, chats.resolve(file.getParent().getFileName() + "-" + file.getFileName()));
            }
        }
        assertEquals(9, format.discover(format.defaultRoots(new Environment(home, Map.of())).getFirst()).size());
    }

    @Test
    void jsonlSessionWithCachedInput()
            throws IOException
    {
        ParsedFile parsed = parse(AGENT_SESSIONS + "jsonl_v040.jsonl");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("gemini_cli", trace.sourceKind());
        assertEquals("gemini_stage0_jsonl", trace.traceId());
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 2L, Role.TOOL, 1L), roles(trace));
        ToolCall call = trace.toolCalls().getFirst();
        assertEquals("run_shell_command_stage0", call.toolCallId());
        assertEquals("{\"command\":\"ls -F\",\"description\":\"List files in the current directory.\"}", call.arguments());
        assertEquals(2, call.resultOrdinal());
        assertTrue(call.resultText().startsWith("Output: AgentSessions/"));
        assertEquals(false, call.isError());
        // second response: input 12069 holds the 11502 cached tokens
        TokenUsage second = trace.tokenUsage().get(1);
        assertEquals(List.of(567L, 11502L, 147L, 0L), List.of(second.inputTokens(), second.cacheReadInputTokens(), second.outputTokens(),
                second.reasoningOutputTokens()));
        assertEquals("g-assistant-2", second.responseId());
        assertEquals("gemini_stage0_jsonl", second.requestId());
        assertEquals(11855, trace.tokenUsage().getFirst().inputTokens());
        assertEquals(Instant.parse("2026-04-29T21:39:22.319Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-04-29T21:39:45.996Z"), trace.endedAt());
        assertEquals(List.of("gemini-3-flash-preview"), trace.models());
        assertEquals(Map.of("$set", 1L, "message", 3L, "metadata", 1L), trace.sourceMeta().get("record_types"));
    }

    @Test
    void legacyDocumentWithOffSchemaMessages()
            throws IOException
    {
        ParsedFile parsed = parse(AGENT_SESSIONS + "large.json");
        // the two "model" messages with "parts" are not the CLI's schema: each an issue at the line its object starts on
        assertEquals(List.of(76L, 88L), parsed.issues().stream().map(issue -> issue.lineNumber()).toList());
        assertTrue(parsed.issues().stream().allMatch(issue -> issue.errorClass().equals(JsonLines.UNEXPECTED_SHAPE)));
        Trace trace = parsed.traces().getFirst();
        assertEquals(Map.of(Role.USER, 2L, Role.ASSISTANT, 2L, Role.TOOL, 2L), roles(trace));
        assertEquals(2, trace.toolCalls().size());
        assertEquals(2, trace.toolCalls().stream().filter(call -> call.resultOrdinal() != null).count());
        assertEquals(1L, trace.sourceMeta().get("info_notices"));
        assertEquals("Placeholder thoughts for schema coverage.", trace.messages().get(1).reasoningContent());
        assertEquals(1, trace.tokenUsage().size());
        assertEquals(List.of(100L, 10L), List.of(trace.tokenUsage().getFirst().inputTokens(), trace.tokenUsage().getFirst().outputTokens()));
        assertEquals(Instant.parse("2025-12-16T23:47:00Z"), trace.startedAt());
        assertEquals(Instant.parse("2025-12-16T23:48:00Z"), trace.endedAt());
        assertEquals(15, trace.messages().get(1).lineNumber());
    }

    @Test
    void smallDocumentAndOneThatIsNoConversation()
            throws IOException
    {
        Trace small = parse(AGENT_SESSIONS + "small.json").traces().getFirst();
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 1L), roles(small));
        assertEquals("Hi!", small.messages().get(1).content().getFirst().text());
        assertEquals(List.of(10L, 5L), List.of(small.tokenUsage().getFirst().inputTokens(), small.tokenUsage().getFirst().outputTokens()));

        ParsedFile drift = parse(AGENT_SESSIONS + "schema_drift.json");
        assertEquals(List.of(), drift.traces());
        assertEquals(1, drift.issues().size());
        assertEquals(GeminiSessionParser.NOT_A_CONVERSATION, drift.issues().getFirst().errorClass());
    }

    @Test
    void agentsviewFiles()
            throws IOException
    {
        Trace standard = parse(AGENTSVIEW + "standard_session.json").traces().getFirst();
        assertEquals(Map.of(Role.USER, 2L, Role.ASSISTANT, 2L), roles(standard));
        // total 1850 = 1500 input + 100 cached + 200 output + 50 thoughts: this input leaves the cache out already
        TokenUsage first = standard.tokenUsage().getFirst();
        assertEquals(List.of(1500L, 100L, 250L, 50L), List.of(first.inputTokens(), first.cacheReadInputTokens(), first.outputTokens(),
                first.reasoningOutputTokens()));
        TokenUsage second = standard.tokenUsage().get(1);
        assertEquals(List.of(2000L, 50L, 400L, 100L), List.of(second.inputTokens(), second.cacheReadInputTokens(), second.outputTokens(),
                second.reasoningOutputTokens()));
        assertEquals(2L, standard.sourceMeta().get("token_inputs_without_cached"));

        Trace notices = parse(AGENTSVIEW + "system_messages.json").traces().getFirst();
        assertEquals(List.of(), notices.messages());
        assertEquals(List.of(1L, 1L, 1L), List.of(notices.sourceMeta().get("info_notices"), notices.sourceMeta().get("error_notices"),
                notices.sourceMeta().get("warning_notices")));

        Trace thinking = parse(AGENTSVIEW + "thinking_only.json").traces().getFirst();
        assertEquals("Understanding request\nThe user wants an explanation of the system.\n\nPlanning response\nI should describe the config loading flow.",
                thinking.messages().get(1).reasoningContent());
        assertEquals(List.of(), thinking.tokenUsage());

        // a call without an id gets one made from its message; it has no result
        Trace calls = parse(AGENTSVIEW + "tool_calls.json").traces().getFirst();
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 1L), roles(calls));
        assertEquals("a1:call:0", calls.toolCalls().getFirst().toolCallId());
        assertNull(calls.toolCalls().getFirst().resultOrdinal());

        Trace results = parse(AGENTSVIEW + "tool_calls_with_results.json").traces().getFirst();
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 1L, Role.TOOL, 2L), roles(results));
        assertEquals(List.of(2, 3), results.toolCalls().stream().map(ToolCall::resultOrdinal).toList());
        assertEquals(List.of("read_file_1772747340739_0", "run_command_1772747340739_1"),
                results.messages().stream().filter(message -> message.role() == Role.TOOL).map(Message::toolCallId).toList());
    }

    private static Map<Role, Long> roles(Trace trace)
    {
        return trace.messages().stream().collect(groupingBy(Message::role, counting()));
    }

    private ParsedFile parse(String relative)
            throws IOException
    {
        Path file = SharedFixtures.path(relative);
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
    }
}
