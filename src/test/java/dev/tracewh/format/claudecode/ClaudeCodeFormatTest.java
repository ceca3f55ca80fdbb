package dev.tracewh.format.claudecode;

import dev.tracewh.format.Environment;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.LineValues;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaudeCodeFormatTest
{
    private static final String SESSION = "11111111-2222-3333-4444-555555555555";

    @TempDir
    Path projects;

    private final ClaudeCodeFormat format = new ClaudeCodeFormat();

    @Test
    void linesOfOneApiResponseBecomeOneAssistantMessage()
            throws IOException
    {
        Trace trace = single("""
                {"type":"user","uuid":"u1","sessionId":"%1$s","timestamp":"2025-07-01T10:00:00.000Z","message":{"role":"user","content":"list files"}}
                {"type":"assistant","uuid":"a1","parentUuid":"u1","sessionId":"%1$s","requestId":"req_1","timestamp":"2025-07-01T10:00:01.000Z","message":{"id":"msg_1","model":"claude-opus-4-6","role":"assistant","content":[{"type":"thinking","thinking":"I should run ls"}],"usage":{"input_tokens":3,"output_tokens":1,"cache_read_input_tokens":100}}}
                {"type":"assistant","uuid":"a2","parentUuid":"a1","sessionId":"%1$s","requestId":"req_1","timestamp":"2025-07-01T10:00:02.000Z","message":{"id":"msg_1","model":"claude-opus-4-6","role":"assistant","content":[{"type":"text","text":"Running ls."}],"usage":{"input_tokens":3,"output_tokens":5,"cache_read_input_tokens":100}}}
                {"type":"assistant","uuid":"a3","parentUuid":"a2","sessionId":"%1$s","requestId":"req_1","timestamp":"2025-07-01T10:00:03.000Z","message":{"id":"msg_1","model":"claude-opus-4-6","role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}],"usage":{"input_tokens":3,"output_tokens":42,"cache_read_input_tokens":100}}}
                """.formatted(SESSION));
        assertEquals(List.of(Role.USER, Role.ASSISTANT), roles(trace));
        Message assistant = trace.messages().get(1);
        assertEquals("I should run ls", assistant.reasoningContent());
        assertEquals("Running ls.", assistant.text());
        assertEquals("msg_1", assistant.apiMessageId());
        assertEquals("a1", assistant.lineUuid());
        ToolCall call = trace.toolCalls().getFirst();
        assertEquals("Bash", call.name());
        assertEquals("{\"command\":\"ls\"}", call.arguments());
        assertEquals(1, call.messageOrdinal());
        assertEquals(List.of(new TokenUsage("msg_1", "req_1", 1, "claude-opus-4-6", Instant.parse("2025-07-01T10:00:03Z"), 3, 0, 0, 100, 42, 0)),
                trace.tokenUsage());
    }

    @Test
    void parallelCallsWrittenOneLinePerCallWithTheirResultsBetweenAreOneAssistantMessage()
            throws IOException
    {
        // Claude Code 2.1.x: one line per tool call of a response, each result (and its hook lines) right after it;
        // the last two calls ran in parallel and their results came back in reverse
        Trace trace = single("""
                {"type":"user","uuid":"u1","sessionId":"%1$s","version":"2.1.114","timestamp":"2026-04-01T10:00:00.000Z","message":{"role":"user","content":"check the repo"}}
                {"type":"assistant","uuid":"a1","parentUuid":"u1","sessionId":"%1$s","requestId":"req_1","timestamp":"2026-04-01T10:00:01.000Z","message":{"id":"msg_1","model":"claude-opus-4-7","role":"assistant","content":[{"type":"thinking","thinking":"Look around first","signature":"c2ln"}],"usage":{"input_tokens":6,"output_tokens":9,"cache_read_input_tokens":200,"cache_creation_input_tokens":30}}}
                {"type":"assistant","uuid":"a2","parentUuid":"a1","sessionId":"%1$s","requestId":"req_1","timestamp":"2026-04-01T10:00:02.000Z","message":{"id":"msg_1","model":"claude-opus-4-7","role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"git status"}}],"usage":{"input_tokens":6,"output_tokens":9,"cache_read_input_tokens":200,"cache_creation_input_tokens":30}}}
                {"type":"user","uuid":"r1","parentUuid":"a2","sessionId":"%1$s","timestamp":"2026-04-01T10:00:03.000Z","sourceToolAssistantUUID":"a2","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"clean"}]}}
                {"type":"attachment","uuid":"h1","parentUuid":"r1","sessionId":"%1$s","timestamp":"2026-04-01T10:00:03.100Z","attachment":{"type":"hook_success","hookEvent":"PostToolUse"}}
                {"type":"assistant","uuid":"a3","parentUuid":"h1","sessionId":"%1$s","requestId":"req_1","timestamp":"2026-04-01T10:00:04.000Z","message":{"id":"msg_1","model":"claude-opus-4-7","role":"assistant","content":[{"type":"tool_use","id":"t2","name":"Read","input":{"file_path":"a"}}],"usage":{"input_tokens":6,"output_tokens":9,"cache_read_input_tokens":200,"cache_creation_input_tokens":30}}}
                {"type":"progress","uuid":"p1","parentUuid":"a3","sessionId":"%1$s","timestamp":"2026-04-01T10:00:04.100Z","data":{"type":"hook_progress","hookEvent":"PreToolUse"}}
                {"type":"assistant","uuid":"a4","parentUuid":"p1","sessionId":"%1$s","requestId":"req_1","timestamp":"2026-04-01T10:00:05.000Z","message":{"id":"msg_1","model":"claude-opus-4-7","role":"assistant","content":[{"type":"tool_use","id":"t3","name":"Read","input":{"file_path":"b"}}],"usage":{"input_tokens":6,"output_tokens":9,"cache_read_input_tokens":200,"cache_creation_input_tokens":30}}}
                {"type":"last-prompt","lastPrompt":"check the repo","sessionId":"%1$s"}
                {"type":"user","uuid":"r3","parentUuid":"a4","sessionId":"%1$s","timestamp":"2026-04-01T10:00:06.000Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t3","content":"contents of b"}]}}
                {"type":"system","uuid":"s1","parentUuid":"r3","sessionId":"%1$s","timestamp":"2026-04-01T10:00:06.500Z","subtype":"informational","content":"note"}
                {"type":"user","uuid":"r2","parentUuid":"a3","sessionId":"%1$s","timestamp":"2026-04-01T10:00:07.000Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t2","is_error":true,"content":"<tool_use_error>File does not exist.</tool_use_error>"}]}}
                {"type":"assistant","uuid":"a5","parentUuid":"r2","sessionId":"%1$s","requestId":"req_2","timestamp":"2026-04-01T10:00:08.000Z","message":{"id":"msg_2","model":"claude-opus-4-7","role":"assistant","content":[{"type":"text","text":"The repo is clean; a is missing."}],"usage":{"input_tokens":2,"output_tokens":12,"cache_read_input_tokens":400,"cache_creation_input_tokens":0}}}
                """.formatted(SESSION));
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.TOOL, Role.ASSISTANT), roles(trace));
        Message response = trace.messages().get(1);
        assertEquals("a1", response.lineUuid());
        assertEquals("Look around first", response.reasoningContent());
        assertEquals(Arrays.asList(null, "t1", "t2", "t3", null), trace.messages().subList(1, 6).stream().map(Message::toolCallId).toList(),
                "tool messages in the order of the calls, not of the results");
        assertEquals(List.of("t1", "t2", "t3"), trace.toolCalls().stream().map(ToolCall::toolCallId).toList());
        assertEquals(List.of(1, 1, 1), trace.toolCalls().stream().map(ToolCall::messageOrdinal).toList());
        assertEquals(List.of(0, 1, 2), trace.toolCalls().stream().map(ToolCall::callIndex).toList());
        assertEquals(List.of(2, 3, 4), trace.toolCalls().stream().map(ToolCall::resultOrdinal).toList());
        assertEquals(List.of("clean", "<tool_use_error>File does not exist.</tool_use_error>", "contents of b"),
                trace.toolCalls().stream().map(ToolCall::resultText).toList());
        assertEquals(Arrays.asList(false, true, false), trace.toolCalls().stream().map(ToolCall::isError).toList());
        // one usage row per response, as when its lines came together
        assertEquals(List.of(new TokenUsage("msg_1", "req_1", 1, "claude-opus-4-7", Instant.parse("2026-04-01T10:00:05Z"), 6, 30, 0, 200, 9, 0),
                        new TokenUsage("msg_2", "req_2", 5, "claude-opus-4-7", Instant.parse("2026-04-01T10:00:08Z"), 2, 0, 0, 400, 12, 0)),
                trace.tokenUsage());
        assertEquals("The repo is clean; a is missing.", trace.finalAssistantMessage());
    }

    @Test
    void aResponsesTextAfterItsToolCallJoinsItsMessage()
            throws IOException
    {
        Trace trace = single("""
                {"type":"assistant","uuid":"a1","sessionId":"%1$s","requestId":"r","message":{"id":"msg_1","model":"m","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"make"}}]}}
                {"type":"user","uuid":"u1","sessionId":"%1$s","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"built"}]}}
                {"type":"assistant","uuid":"a2","sessionId":"%1$s","requestId":"r","message":{"id":"msg_1","model":"m","content":[{"type":"text","text":"Started the build."}]}}
                """.formatted(SESSION));
        assertEquals(List.of(Role.ASSISTANT, Role.TOOL), roles(trace));
        assertEquals("Started the build.", trace.messages().getFirst().text());
        assertEquals(List.of(0), trace.toolCalls().stream().map(ToolCall::messageOrdinal).toList());
        assertEquals(List.of(1), trace.toolCalls().stream().map(ToolCall::resultOrdinal).toList());
        assertEquals("Started the build.", trace.finalAssistantMessage());
    }

    @Test
    void aToolSearchResultKeepsItsToolReferencesAsText()
            throws IOException
    {
        Trace trace = single("""
                {"type":"assistant","uuid":"a1","sessionId":"%1$s","requestId":"r","message":{"id":"msg_1","model":"m","content":[{"type":"tool_use","id":"t1","name":"ToolSearch","input":{"query":"task"}}]}}
                {"type":"user","uuid":"u1","sessionId":"%1$s","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"tool_reference","tool_name":"TaskCreate"}]}]}}
                """.formatted(SESSION));
        assertEquals("{\"type\":\"tool_reference\",\"tool_name\":\"TaskCreate\"}", trace.messages().get(1).text());
        assertEquals("{\"type\":\"tool_reference\",\"tool_name\":\"TaskCreate\"}", trace.toolCalls().getFirst().resultText());
    }

    @Test
    void aUserPromptBetweenLinesOfOneResponseClosesIt()
            throws IOException
    {
        // the conversation moved on, so the response's later line starts a new message; its usage still counts once
        Trace trace = single("""
                {"type":"assistant","uuid":"a1","sessionId":"%1$s","requestId":"r","message":{"id":"msg_1","model":"m","content":[{"type":"tool_use","id":"t1","name":"Read","input":{}}],"usage":{"input_tokens":1,"output_tokens":2}}}
                {"type":"user","uuid":"u1","sessionId":"%1$s","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"file text"}]}}
                {"type":"user","uuid":"u2","sessionId":"%1$s","message":{"role":"user","content":"also check b"}}
                {"type":"assistant","uuid":"a2","sessionId":"%1$s","requestId":"r","message":{"id":"msg_1","model":"m","content":[{"type":"tool_use","id":"t2","name":"Read","input":{}}],"usage":{"input_tokens":1,"output_tokens":7}}}
                {"type":"user","uuid":"u3","sessionId":"%1$s","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t2","content":"b text"}]}}
                """.formatted(SESSION));
        assertEquals(List.of(Role.ASSISTANT, Role.TOOL, Role.USER, Role.ASSISTANT, Role.TOOL), roles(trace));
        assertEquals(List.of(0, 3), trace.toolCalls().stream().map(ToolCall::messageOrdinal).toList());
        assertEquals(List.of(1, 4), trace.toolCalls().stream().map(ToolCall::resultOrdinal).toList());
        assertEquals(List.of(new TokenUsage("msg_1", "r", 3, "m", null, 1, 0, 0, 0, 7, 0)), trace.tokenUsage());
    }

    @Test
    void toolResultsBecomeToolMessagesPairedByIdWithErrorAndExitCode()
            throws IOException
    {
        Trace trace = single("""
                {"type":"assistant","uuid":"a1","sessionId":"%1$s","message":{"id":"msg_1","model":"m","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"false"}},{"type":"tool_use","id":"t2","name":"Read","input":{"file_path":"a"}}]}}
                {"type":"user","uuid":"u1","sessionId":"%1$s","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t2","content":[{"type":"text","text":"contents of a"}]},{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":"Exit code 1\\nfailed"},{"type":"text","text":"why did it fail?"}]}}
                """.formatted(SESSION));
        assertEquals(List.of(Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.USER), roles(trace));
        // tool messages follow the order of the calls, not of the results (since issue 23)
        assertEquals(List.of("t1", "t2"), trace.messages().subList(1, 3).stream().map(Message::toolCallId).toList());
        assertEquals("why did it fail?", trace.messages().get(3).text());
        ToolCall bash = trace.toolCalls().get(0);
        assertEquals(List.of(0, 1), trace.toolCalls().stream().map(ToolCall::callIndex).toList());
        assertEquals(1, bash.resultOrdinal());
        assertEquals(true, bash.isError());
        assertEquals(1, bash.exitCode());
        ToolCall read = trace.toolCalls().get(1);
        assertEquals("contents of a", read.resultText());
        assertEquals(false, read.isError());
        assertNull(read.exitCode());
    }

    @Test
    void exitCodesBeyondAnIntAreKeptAndOnesBeyondALongAreNullWithTheirTextKept()
            throws IOException
    {
        Trace trace = single("""
                {"type":"assistant","uuid":"a1","sessionId":"%1$s","message":{"id":"msg_1","model":"m","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{}},{"type":"tool_use","id":"t2","name":"Bash","input":{}},{"type":"tool_use","id":"t3","name":"Bash","input":{}}]}}
                {"type":"user","uuid":"u1","sessionId":"%1$s","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":"Exit code 99999999999\\nfailed"}]}}
                {"type":"user","uuid":"u2","sessionId":"%1$s","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t2","is_error":true,"content":"Exit code 3221225477\\naccess violation"}]}}
                {"type":"user","uuid":"u3","sessionId":"%1$s","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t3","is_error":true,"content":"Exit code 99999999999999999999999\\nfailed"}]}}
                """.formatted(SESSION));
        assertEquals(Arrays.asList(99_999_999_999L, 3_221_225_477L, null), trace.toolCalls().stream().map(ToolCall::exitCode).toList());
        ToolCall unparseable = trace.toolCalls().get(2);
        assertEquals("Exit code 99999999999999999999999\nfailed", unparseable.resultText());
        assertEquals(true, unparseable.isError());
    }

    @Test
    void timestampsOutsideWhatBothDatabasesHoldAreIssuesAndNull()
            throws IOException
    {
        ParsedFile parsed = parse(SESSION + ".jsonl", """
                {"type":"user","uuid":"u1","sessionId":"%1$s","timestamp":"1970-01-01T00:00:00Z","message":{"role":"user","content":"first"}}
                {"type":"user","uuid":"u2","sessionId":"%1$s","timestamp":"-0001-06-01T00:00:00Z","message":{"role":"user","content":"negative year"}}
                {"type":"assistant","uuid":"a1","sessionId":"%1$s","requestId":"r1","timestamp":"+300000-01-01T00:00:00Z","message":{"id":"msg_1","model":"m","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{}}],"usage":{"input_tokens":1,"output_tokens":2}}}
                {"type":"user","uuid":"u3","sessionId":"%1$s","timestamp":"+600000-01-01T00:00:00Z","message":{"role":"user","content":"year 600000"}}
                {"type":"user","uuid":"u4","sessionId":"%1$s","timestamp":"1969-12-31T23:59:59.999Z","message":{"role":"user","content":"before 1970"}}
                {"type":"user","uuid":"u5","sessionId":"%1$s","timestamp":"+10000-01-01T00:00:00Z","message":{"role":"user","content":"year 10000"}}
                {"type":"user","uuid":"u6","sessionId":"%1$s","timestamp":"9999-12-31T23:59:59.999Z","message":{"role":"user","content":"last"}}
                """.formatted(SESSION));
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), parsed.issues().stream().map(ParseIssue::lineNumber).toList());
        assertTrue(parsed.issues().stream().allMatch(issue -> issue.errorClass().equals(LineValues.OUT_OF_RANGE)), parsed.issues().toString());
        assertTrue(parsed.issues().get(1).message().contains("timestamp") && parsed.issues().get(1).message().contains("+300000-01-01T00:00:00Z"),
                parsed.issues().get(1).message());
        Trace trace = parsed.traces().getFirst();
        assertEquals(7, trace.messageCount());
        assertEquals(Arrays.asList(Instant.parse("1970-01-01T00:00:00Z"), null, null, null, null, null, Instant.parse("9999-12-31T23:59:59.999Z")),
                trace.messages().stream().map(Message::createdAt).toList());
        assertNull(trace.toolCalls().getFirst().calledAt());
        assertNull(trace.tokenUsage().getFirst().createdAt());
        assertEquals(Instant.parse("1970-01-01T00:00:00Z"), trace.startedAt());
        assertEquals(Instant.parse("9999-12-31T23:59:59.999Z"), trace.endedAt());
    }

    @Test
    void tokenCountsThatAreNotCountsAreIssuesAndLeaveTheirResponsesUsageOut()
            throws IOException
    {
        String line = """
                {"type":"assistant","uuid":"a%1$d","sessionId":"%2$s","requestId":"r%1$d","message":{"id":"msg_%1$d","model":"m","content":[{"type":"text","text":"answer %1$d"}],"usage":{"input_tokens":%3$s,"output_tokens":2}}}
                """;
        List<String> counts = List.of("1e400", "99999999999999999999999", "\"123\"", "9223372036854775807", "-1", "1.5", "100000000001", "100000000000", "null");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < counts.size(); i++) {
            jsonl.append(line.formatted(i + 1, SESSION, counts.get(i)));
        }
        ParsedFile parsed = parse(SESSION + ".jsonl", jsonl.toString());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), parsed.issues().stream().map(ParseIssue::lineNumber).toList());
        assertTrue(parsed.issues().stream().allMatch(issue -> issue.errorClass().equals(LineValues.INVALID_COUNT)), parsed.issues().toString());
        assertTrue(parsed.issues().get(2).message().contains("input_tokens") && parsed.issues().get(2).message().contains("\"123\""),
                parsed.issues().get(2).message());
        Trace trace = parsed.traces().getFirst();
        assertEquals(9, trace.messageCount(), "every message stays");
        assertEquals(List.of(new TokenUsage("msg_8", "r8", 7, "m", null, 100_000_000_000L, 0, 0, 0, 2, 0), new TokenUsage("msg_9", "r9", 8, "m", null, 0, 0, 0, 0, 2, 0)),
                trace.tokenUsage());
    }

    /**
     * usage.cache_creation splits a response's cache writes by TTL. The 1-hour part is kept (0 without the split); one
     * larger than all the writes is an issue and counts as all of them; one that is not a count leaves the usage out.
     * A sub-agent's response its parent replays in an agent_progress line keeps its split too.
     */
    @Test
    void oneHourCacheWritesArePartOfTheCacheWrites()
            throws IOException
    {
        String line = """
                {"type":"assistant","uuid":"a%1$d","sessionId":"%2$s","requestId":"r%1$d","message":{"id":"msg_%1$d","model":"m","content":[{"type":"text","text":"answer %1$d"}],"usage":{"input_tokens":1,"cache_creation_input_tokens":%3$d,%4$s"output_tokens":2}}}
                """;
        String jsonl = line.formatted(1, SESSION, 500, "\"cache_creation\":{\"ephemeral_5m_input_tokens\":200,\"ephemeral_1h_input_tokens\":300},")
                + line.formatted(2, SESSION, 400, "")
                + line.formatted(3, SESSION, 100, "\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":900},")
                + line.formatted(4, SESSION, 100, "\"cache_creation\":{\"ephemeral_1h_input_tokens\":\"100\"},")
                + line.formatted(5, SESSION, 700, "\"cache_creation\":{\"ephemeral_5m_input_tokens\":700},")
                + """
                {"type":"progress","uuid":"p6","parentUuid":"a5","sessionId":"%1$s","timestamp":"2026-04-01T10:00:06.000Z","data":{"type":"agent_progress","agentId":"ab12","message":{"type":"assistant","requestId":"r_sub","timestamp":"2026-04-01T10:00:05.000Z","message":{"id":"msg_sub","model":"claude-haiku-4-5","content":[],"usage":{"input_tokens":3,"cache_creation_input_tokens":80,"cache_creation":{"ephemeral_5m_input_tokens":20,"ephemeral_1h_input_tokens":60},"output_tokens":4}}}}}
                """.formatted(SESSION);
        ParsedFile parsed = parse(SESSION + ".jsonl", jsonl);

        assertEquals(List.of("3 out_of_range cache_creation.ephemeral_1h_input_tokens 900 is more than cache_creation_input_tokens 100: counted as 100",
                        "4 invalid_count ephemeral_1h_input_tokens \"100\" is not a token count (an integer from 0 to 100000000000): the response's usage is left out"),
                parsed.issues().stream().map(issue -> issue.lineNumber() + " " + issue.errorClass() + " " + issue.message()).toList());
        Trace trace = parsed.traces().getFirst();
        assertEquals(List.of(new TokenUsage("msg_1", "r1", 0, "m", null, 1, 500, 300, 0, 2, 0),
                        new TokenUsage("msg_2", "r2", 1, "m", null, 1, 400, 0, 0, 2, 0),
                        new TokenUsage("msg_3", "r3", 2, "m", null, 1, 100, 100, 0, 2, 0),
                        new TokenUsage("msg_5", "r5", 4, "m", null, 1, 700, 0, 0, 2, 0),
                        new TokenUsage("msg_sub", "r_sub", null, "claude-haiku-4-5", Instant.parse("2026-04-01T10:00:05Z"), 3, 80, 60, 0, 4, 0)),
                trace.tokenUsage());
    }

    @Test
    void syntheticNoticesAreKeptButCarryNoUsageAndAreNotTheFinalAnswer()
            throws IOException
    {
        Trace trace = single("""
                {"type":"assistant","uuid":"a1","sessionId":"%1$s","requestId":"r1","message":{"id":"msg_1","model":"claude-sonnet-4-5","content":[{"type":"text","text":"All tests pass."}],"usage":{"input_tokens":1,"output_tokens":2}}}
                {"type":"assistant","uuid":"a2","sessionId":"%1$s","message":{"id":"6a1f0e4c-synthetic","model":"<synthetic>","content":[{"type":"text","text":"API Error: 500 {}"}],"usage":{"input_tokens":0,"output_tokens":0}}}
                """.formatted(SESSION));
        assertEquals(2, trace.messageCount());
        assertTrue(trace.messages().get(1).isSynthetic());
        assertEquals("All tests pass.", trace.finalAssistantMessage());
        assertEquals(List.of("msg_1"), trace.tokenUsage().stream().map(TokenUsage::responseId).toList());
        assertEquals(List.of("claude-sonnet-4-5"), trace.models());
    }

    @Test
    void timeSpanComparesInstantsNotStrings()
            throws IOException
    {
        Trace trace = single("""
                {"type":"user","uuid":"u1","sessionId":"%1$s","timestamp":"2025-07-01T10:00:00+02:00","message":{"role":"user","content":"hi"}}
                {"type":"system","uuid":"s1","sessionId":"%1$s","timestamp":"2025-07-01T09:30:00.000Z","subtype":"turn_duration"}
                {"type":"file-history-snapshot","messageId":"u1","snapshot":{}}
                """.formatted(SESSION));
        assertEquals(Instant.parse("2025-07-01T08:00:00Z"), trace.startedAt());
        assertEquals(Instant.parse("2025-07-01T09:30:00Z"), trace.endedAt());
        assertEquals(Map.of("file-history-snapshot", 1L, "system", 1L, "user", 1L), trace.sourceMeta().get("record_types"));
    }

    @Test
    void brokenLinesAreIssuesAndTheRestOfTheFileLoads()
            throws IOException
    {
        ParsedFile parsed = parse(SESSION + ".jsonl", """
                {"type":"user","uuid":"u1","sessionId":"%1$s","message":{"role":"user","content":"one"}}
                {"type":"user","uuid":
                [1,2]
                {"type":"user","uuid":"u2","sessionId":"%1$s","message":{"role":"user"}}
                {"type":"user","uuid":"u3","sessionId":"%1$s","message":{"role":"user","content":"two"}}
                """.formatted(SESSION));
        assertEquals(List.of(2L, 3L, 4L), parsed.issues().stream().map(ParseIssue::lineNumber).toList());
        assertEquals(List.of(JsonLines.INVALID_JSON, JsonLines.NOT_AN_OBJECT, JsonLines.UNEXPECTED_SHAPE),
                parsed.issues().stream().map(ParseIssue::errorClass).toList());
        assertEquals(List.of("one", "two"), parsed.traces().getFirst().messages().stream().map(Message::text).toList());
    }

    @Test
    void unfinishedLastLineIsNotAnErrorAndIsLeftForTheNextLoad()
            throws IOException
    {
        String complete = "{\"type\":\"user\",\"uuid\":\"u1\",\"sessionId\":\"%s\",\"message\":{\"role\":\"user\",\"content\":\"one\"}}\n".formatted(SESSION);
        ParsedFile parsed = parse(SESSION + ".jsonl", complete + "{\"type\":\"assistant\",\"uuid\":\"a");
        assertTrue(parsed.issues().isEmpty());
        assertEquals(1, parsed.traces().getFirst().messageCount());
        assertEquals(complete.getBytes(StandardCharsets.UTF_8).length, parsed.consumedBytes());
    }

    @Test
    void completeLastLineWithoutNewlineIsRead()
            throws IOException
    {
        ParsedFile parsed = parse(SESSION + ".jsonl",
                "{\"type\":\"user\",\"uuid\":\"u1\",\"sessionId\":\"%s\",\"message\":{\"role\":\"user\",\"content\":\"one\"}}".formatted(SESSION));
        assertEquals(1, parsed.traces().getFirst().messageCount());
    }

    @Test
    void subagentFilesInBothLayoutsAreSidechainTracesOfTheirParentSession()
            throws IOException
    {
        String line = """
                {"type":"user","uuid":"u1","sessionId":"%s","isSidechain":true,"agentId":"%s","message":{"role":"user","content":"Find the bug"}}
                """;
        Trace sibling = single(parse("agent-3430b97e.jsonl", line.formatted(SESSION, "3430b97e")));
        Trace nested = single(parse(SESSION + "/subagents/agent-a2271d1.jsonl", line.formatted(SESSION, "a2271d1")));
        assertEquals(SESSION + ":3430b97e", sibling.traceId());
        assertEquals(SESSION + ":a2271d1", nested.traceId());
        for (Trace trace : List.of(sibling, nested)) {
            assertTrue(trace.isSidechain());
            assertEquals(SESSION, trace.rootSessionId());
        }
    }

    @Test
    void projectPathAndTitleComeFromTheSessionsIndexWhenPresent()
            throws IOException
    {
        Files.writeString(projects.resolve("sessions-index.json"), """
                {"version":1,"entries":[{"sessionId":"%s","projectPath":"/home/ana/real project","summary":"Fix the login bug","firstPrompt":"fix login"}]}
                """.formatted(SESSION));
        Trace trace = single("""
                {"type":"user","uuid":"u1","sessionId":"%s","cwd":"/home/ana/real project/sub","gitBranch":"main","message":{"role":"user","content":"fix login"}}
                """.formatted(SESSION));
        assertEquals("/home/ana/real project", trace.projectPath());
        assertEquals("/home/ana/real project/sub", trace.cwd());
        assertEquals("main", trace.gitBranch());
        assertEquals("Fix the login bug", trace.summary());
        assertEquals("fix login", trace.sourceMeta().get("first_prompt"));
    }

    @Test
    void projectPathFallsBackToCwdAndTitlesComeFromTheTranscript()
            throws IOException
    {
        Trace trace = single("""
                {"type":"summary","summary":"Old branch summary","leafUuid":"x"}
                {"type":"user","uuid":"u1","sessionId":"%1$s","cwd":"/work/app","version":"2.1.0","message":{"role":"user","content":"hi"}}
                {"type":"custom-title","customTitle":"Login work","sessionId":"%1$s"}
                {"type":"user","uuid":"u2","sessionId":"%1$s","cwd":"/work/app","version":"2.1.1","isMeta":true,"message":{"role":"user","content":"Caveat: ..."}}
                """.formatted(SESSION));
        assertEquals("/work/app", trace.projectPath());
        assertEquals("Login work", trace.title());
        assertEquals("Old branch summary", trace.summary());
        assertEquals(List.of("2.1.0", "2.1.1"), trace.toolVersions());
        assertTrue(trace.messages().get(1).isMeta());
        assertFalse(trace.messages().get(0).isMeta());
    }

    @Test
    void filesWithoutConversationLinesYieldNoTrace()
            throws IOException
    {
        assertTrue(parse(SESSION + ".jsonl", "{\"type\":\"file-history-snapshot\",\"messageId\":\"m\",\"snapshot\":{}}\n").traces().isEmpty());
        assertTrue(parse("empty.jsonl", "").traces().isEmpty());
    }

    @Test
    void discoversTranscriptsButNotToolResultsHistoryOrSidecars()
            throws IOException
    {
        for (String file : List.of("p/" + SESSION + ".jsonl", "p/agent-1.jsonl", "p/" + SESSION + "/subagents/agent-2.jsonl",
                "p/" + SESSION + "/subagents/agent-2.meta.json", "p/" + SESSION + "/tool-results/toolu_1.jsonl", "history.jsonl", "p/sessions-index.json")) {
            Path path = projects.resolve(file);
            Files.createDirectories(path.getParent());
            Files.writeString(path, "");
        }
        assertEquals(List.of("p/" + SESSION + ".jsonl", "p/" + SESSION + "/subagents/agent-2.jsonl", "p/agent-1.jsonl"),
                format.discover(projects).stream().map(path -> projects.relativize(path).toString()).sorted().toList());
    }

    @Test
    void defaultRootsFollowClaudeConfigDir()
    {
        Path home = Path.of("/home/ana");
        assertEquals(List.of(home.resolve(".claude/projects"), home.resolve(".config/claude/projects")),
                format.defaultRoots(new Environment(home, Map.of())));
        assertEquals(List.of(Path.of("/a/projects"), Path.of("/b/projects")),
                format.defaultRoots(new Environment(home, Map.of("CLAUDE_CONFIG_DIR", "/a, /b"))));
    }

    private static List<Role> roles(Trace trace)
    {
        return trace.messages().stream().map(Message::role).toList();
    }

    private Trace single(String jsonl)
            throws IOException
    {
        return single(parse(SESSION + ".jsonl", jsonl));
    }

    private static Trace single(ParsedFile parsed)
    {
        assertEquals(List.of(), parsed.issues());
        assertEquals(1, parsed.traces().size());
        return parsed.traces().getFirst();
    }

    private ParsedFile parse(String relativePath, String jsonl)
            throws IOException
    {
        Path file = projects.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.writeString(file, jsonl);
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
    }
}
