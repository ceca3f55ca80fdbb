package dev.tracewh.format.copilot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.Formats;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.LineValues;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written event logs and session stores for the rules the shared fixtures do not exercise. */
class CopilotFormatTest
{
    private static final String START = """
            {"type":"session.start","data":{"sessionId":"s1","version":1,"producer":"copilot-agent","copilotVersion":"1.0.80","selectedModel":"claude-sonnet-4.6","context":{"cwd":"/w/app/sub","gitRoot":"/w/app","branch":"main"}},"id":"e1","timestamp":"2026-06-01T10:00:00.000Z","parentId":null}
            {"type":"user.message","data":{"content":"fix the bug","transformedContent":"fix the bug\\n<context/>","attachments":[{"type":"file","path":"/w/app/a.txt","displayName":"a.txt"}]},"id":"e2","timestamp":"2026-06-01T10:00:01.000Z","parentId":"e1"}
            """;

    private final CopilotFormat format = new CopilotFormat();
    private final ObjectMapper mapper = JsonLines.newMapper();

    @TempDir
    Path home;

    @Test
    void aCallWrittenTwiceIsKeptOnceAndItsArgumentsAreOneJsonText()
            throws IOException
    {
        Trace trace = only(parse(START + """
                {"type":"assistant.message","data":{"messageId":"m1","content":"","model":"claude-sonnet-4.6","toolRequests":[{"toolCallId":"c1","name":"bash","arguments":"{\\"command\\":\\"ls\\"}"},{"toolCallId":"c2","name":"view","arguments":"README.md"},{"toolCallId":"c3","name":"grep","arguments":{"pattern":"x"}}]},"id":"e3","timestamp":"2026-06-01T10:00:02.000Z","parentId":"e2"}
                {"type":"tool.execution_start","data":{"toolCallId":"c1","toolName":"bash","arguments":{"command":"ls","extra":true}},"id":"e4","timestamp":"2026-06-01T10:00:03.000Z","parentId":"e3"}
                {"type":"tool.execution_complete","data":{"toolCallId":"c1","success":true,"result":{"content":"a.txt","detailedContent":"a.txt (full)"}},"id":"e5","timestamp":"2026-06-01T10:00:04.000Z","parentId":"e4"}
                {"type":"tool.execution_start","data":{"toolCallId":"c2","toolName":"view","arguments":"README.md"},"id":"e6","timestamp":"2026-06-01T10:00:04.100Z","parentId":"e5"}
                {"type":"tool.execution_complete","data":{"toolCallId":"c2","success":false,"error":{"code":"ENOENT","message":"no such file"}},"id":"e7","timestamp":"2026-06-01T10:00:05.000Z","parentId":"e6"}
                {"type":"tool.execution_complete","data":{"toolCallId":"c3","success":true,"result":{"content":""}},"id":"e8","timestamp":"2026-06-01T10:00:06.000Z","parentId":"e7"}
                """));

        assertEquals(List.of("c1", "c2", "c3"), trace.toolCalls().stream().map(ToolCall::toolCallId).toList());
        assertTrue(trace.toolCalls().stream().allMatch(call -> call.messageOrdinal() == 1), "the requests' message, not one per start");
        // a string holding JSON as it is, a string that is no JSON as a JSON string, an object as JSON
        assertEquals(List.of("{\"command\":\"ls\"}", "\"README.md\"", "{\"pattern\":\"x\"}"), trace.toolCalls().stream().map(ToolCall::arguments).toList());
        assertEquals(List.of(false, true, false), trace.toolCalls().stream().map(ToolCall::isError).toList());
        assertEquals("a.txt", trace.toolCalls().getFirst().resultText(), "the model-facing content, not the detailed one");
        assertEquals("no such file", trace.messages().get(3).text(), "a failure's text is its error message");
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.TOOL), roles(trace));
        assertEquals("c2", trace.messages().get(3).toolCallId());
        assertFalse(trace.sourceMeta().containsKey("duplicate_tool_call_ids"));
    }

    @Test
    void aStartNoRequestNamesIsACallOfItsTurn()
            throws IOException
    {
        Trace trace = only(parse(START + """
                {"type":"assistant.message","data":{"content":"Looking.","toolRequests":[]},"id":"e3","timestamp":"2026-06-01T10:00:02.000Z","parentId":"e2"}
                {"type":"tool.execution_start","data":{"toolCallId":"old-1","toolName":"bash","arguments":{"command":"ls"}},"id":"e4","timestamp":"2026-06-01T10:00:03.000Z","parentId":"e3"}
                {"type":"tool.execution_complete","data":{"toolCallId":"old-1","success":true,"result":{"content":"x"}},"id":"e5","timestamp":"2026-06-01T10:00:04.000Z","parentId":"e4"}
                {"type":"assistant.turn_start","data":{"turnId":"1"},"id":"e6","timestamp":"2026-06-01T10:00:05.000Z","parentId":"e5"}
                {"type":"tool.execution_start","data":{"toolCallId":"old-2","toolName":"bash","arguments":{"command":"pwd"}},"id":"e7","timestamp":"2026-06-01T10:00:06.000Z","parentId":"e6"}
                """));

        assertEquals(List.of(1, 3), trace.toolCalls().stream().map(ToolCall::messageOrdinal).toList());
        assertFalse(trace.messages().get(1).isSynthetic(), "the first call joins the assistant message of its turn");
        assertTrue(trace.messages().get(3).isSynthetic(), "after a new turn, a message stands for the call");
        assertEquals(2L, trace.sourceMeta().get("calls_from_execution_start"));
        assertEquals("Looking.", trace.finalAssistantMessage());
    }

    @Test
    void aChunkedResponseIsOneMessageInChunkOrder()
            throws IOException
    {
        Trace trace = only(parse(START + """
                {"type":"assistant.reasoning","data":{"reasoningId":"r1","content":"First I think."},"id":"e3","timestamp":"2026-06-01T10:00:02.000Z","parentId":"e2"}
                {"type":"assistant.message","data":{"messageId":"m-b","apiCallId":"api-1","chunkIndex":1,"chunkCount":3,"content":"Second part.","reasoningText":"Then I think again.","outputTokens":40},"id":"e5","timestamp":"2026-06-01T10:00:04.000Z","parentId":"e3"}
                {"type":"assistant.message","data":{"messageId":"m-a","apiCallId":"api-1","chunkIndex":0,"chunkCount":3,"content":"First part.","reasoningText":"First I think.","model":"claude-sonnet-4.6","requestId":"req-1","reasoningOpaque":"abcdef","outputTokens":40},"id":"e4","timestamp":"2026-06-01T10:00:03.000Z","parentId":"e5"}
                {"type":"assistant.message","data":{"messageId":"m-c","apiCallId":"api-1","chunkIndex":2,"chunkCount":3,"content":"","toolRequests":[{"toolCallId":"c9","name":"bash","arguments":{}}],"outputTokens":40},"id":"e6","timestamp":"2026-06-01T10:00:05.000Z","parentId":"e4"}
                {"type":"assistant.message","data":{"messageId":"m-d","apiCallId":"api-2","chunkIndex":0,"content":"Alone."},"id":"e7","timestamp":"2026-06-01T10:00:06.000Z","parentId":"e6"}
                """));

        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.ASSISTANT), roles(trace));
        Message response = trace.messages().get(1);
        assertEquals(List.of("First part.", "Second part."), response.content().stream().map(ContentBlock::text).toList());
        // the reasoning event and chunk 0's reasoningText are the same text: once
        assertEquals("First I think.\n\nThen I think again.", response.reasoningContent());
        assertEquals(5, response.lineNumber(), "the line of chunk 0");
        assertEquals("claude-sonnet-4.6", response.model());
        assertEquals("api-1", response.apiMessageId());
        assertEquals("req-1", response.requestId());
        assertEquals(1, trace.toolCalls().getFirst().messageOrdinal());
        assertEquals(40L, trace.sourceMeta().get("assistant_output_tokens"), "one response's count, repeated by its chunks");
        assertEquals(6L, trace.sourceMeta().get("opaque_reasoning_chars"));
        assertEquals("Alone.", trace.finalAssistantMessage());
    }

    @Test
    void subAgentsByAgentIdAndByParentCallAreSidechains()
            throws IOException
    {
        ParsedFile parsed = parse(START + """
                {"type":"assistant.message","data":{"messageId":"m1","content":"Delegating.","toolRequests":[{"toolCallId":"task-1","name":"task","arguments":{"prompt":"explore"}},{"toolCallId":"task-2","name":"task","arguments":{"prompt":"older"}}]},"id":"e3","timestamp":"2026-06-01T10:00:02.000Z","parentId":"e2"}
                {"type":"subagent.started","agentId":"agent-a","data":{"toolCallId":"task-1","agentName":"explore","agentDisplayName":"Explore","agentDescription":"d","model":"claude-haiku-4.5"},"id":"e4","timestamp":"2026-06-01T10:00:03.000Z","parentId":"e3"}
                {"type":"user.message","agentId":"agent-a","data":{"content":"explore"},"id":"e5","timestamp":"2026-06-01T10:00:04.000Z","parentId":"e4"}
                {"type":"assistant.message","agentId":"agent-a","data":{"messageId":"sa1","content":"","model":"claude-haiku-4.5","toolRequests":[{"toolCallId":"sub-c1","name":"grep","arguments":{"pattern":"bug"}}]},"id":"e6","timestamp":"2026-06-01T10:00:05.000Z","parentId":"e5"}
                {"type":"tool.execution_complete","data":{"toolCallId":"sub-c1","parentToolCallId":"task-1","success":true,"result":{"content":"found"}},"id":"e7","timestamp":"2026-06-01T10:00:06.000Z","parentId":"e6"}
                {"type":"assistant.message","data":{"messageId":"m-mid","content":"Still waiting."},"id":"e8","timestamp":"2026-06-01T10:00:06.500Z","parentId":"e7"}
                {"type":"subagent.failed","agentId":"agent-a","data":{"toolCallId":"task-1","agentName":"explore","agentDisplayName":"Explore","error":"quota","totalTokens":900,"totalToolCalls":1,"durationMs":4000},"id":"e9","timestamp":"2026-06-01T10:00:07.000Z","parentId":"e8"}
                {"type":"tool.execution_complete","data":{"toolCallId":"task-1","success":false,"error":{"message":"sub-agent failed: quota"}},"id":"e10","timestamp":"2026-06-01T10:00:08.000Z","parentId":"e9"}
                {"type":"subagent.started","data":{"toolCallId":"task-2","agentName":"general","agentDisplayName":"General","agentDescription":"d"},"id":"e11","timestamp":"2026-06-01T10:00:09.000Z","parentId":"e10"}
                {"type":"assistant.message","data":{"messageId":"sb1","parentToolCallId":"task-2","content":"Older sub-agent answer."},"id":"e12","timestamp":"2026-06-01T10:00:10.000Z","parentId":"e11"}
                {"type":"subagent.completed","data":{"toolCallId":"task-2","agentName":"general","agentDisplayName":"General"},"id":"e13","timestamp":"2026-06-01T10:00:11.000Z","parentId":"e12"}
                {"type":"tool.execution_complete","data":{"toolCallId":"task-2","success":true,"result":{"content":"Older sub-agent answer."}},"id":"e14","timestamp":"2026-06-01T10:00:12.000Z","parentId":"e13"}
                """);

        assertEquals(List.of("s1", "s1:agent-a", "s1:task-2"), parsed.traces().stream().map(Trace::traceId).toList());
        Trace main = parsed.traces().getFirst();
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.ASSISTANT, Role.TOOL, Role.TOOL), roles(main));
        assertEquals(List.of("task-1", "task-2"), main.toolCalls().stream().map(ToolCall::toolCallId).toList());
        assertEquals(List.of(true, false), main.toolCalls().stream().map(ToolCall::isError).toList());
        assertFalse(main.isSidechain());
        assertEquals(Map.of("s1:agent-a", "task-1", "s1:task-2", "task-2"), main.sourceMeta().get("subagent_call_ids"));

        Trace explore = parsed.traces().get(1);
        assertEquals(List.of("s1", "agent-a", true), List.of(explore.rootSessionId(), explore.agentId(), explore.isSidechain()));
        // the result naming only the spawning call joins the agent the call started
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL), roles(explore));
        assertTrue(explore.messages().stream().allMatch(Message::isSidechain));
        assertEquals("sub-c1", explore.toolCalls().getFirst().toolCallId());
        assertEquals(2, explore.toolCalls().getFirst().resultOrdinal());
        assertEquals("task-1", explore.sourceMeta().get("parent_tool_call_id"));
        assertEquals("failed", explore.sourceMeta().get("subagent_status"));
        assertEquals("quota", explore.sourceMeta().get("subagent_error"));
        assertEquals(900, ((Number) explore.sourceMeta().get("subagent_total_tokens")).intValue());
        assertEquals(List.of("claude-haiku-4.5"), explore.models());
        assertEquals(List.of("/w/app/sub", "/w/app", "main"), List.of(explore.cwd(), explore.projectPath(), explore.gitBranch()));

        Trace older = parsed.traces().get(2);
        assertEquals(List.of("task-2", "task-2", "completed"), List.of(older.agentId(), older.sourceMeta().get("parent_tool_call_id"),
                older.sourceMeta().get("subagent_status")));
        assertEquals("Older sub-agent answer.", older.finalAssistantMessage());
    }

    @Test
    void storeRowsAreTheUsageAndGoToTheSubAgentTheyName()
            throws Exception
    {
        Path log = sessionLog("s1", START + """
                {"type":"assistant.message","data":{"messageId":"m1","content":"","toolRequests":[{"toolCallId":"task-1","name":"task","arguments":{}}],"outputTokens":7},"id":"e3","timestamp":"2026-06-01T10:00:02.000Z","parentId":"e2"}
                {"type":"subagent.started","agentId":"agent-a","data":{"toolCallId":"task-1","agentName":"explore","agentDisplayName":"Explore","agentDescription":"d"},"id":"e4","timestamp":"2026-06-01T10:00:03.000Z","parentId":"e3"}
                {"type":"assistant.message","agentId":"agent-a","data":{"messageId":"sa1","content":"done"},"id":"e5","timestamp":"2026-06-01T10:00:04.000Z","parentId":"e4"}
                {"type":"session.shutdown","data":{"shutdownType":"routine","modelMetrics":{"claude-sonnet-4.6":{"requests":{"count":9,"cost":1},"usage":{"inputTokens":99999,"outputTokens":9,"cacheReadTokens":0,"cacheWriteTokens":0}}}},"id":"e6","timestamp":"2026-06-01T10:00:05.000Z","parentId":"e5"}
                """);
        try (CopilotStore store = CopilotStore.create(home.resolve(".copilot"), true)) {
            store.request("s1", "claude-sonnet-4.6", 1000, 50, 600, 300, 20, null, null, "user", "2026-06-01T10:00:02.500Z")
                    .request("s1", "claude-haiku-4.5", 400, 30, 100, 0, 0, "agent-a", "task-1", "sub_agent", "2026-06-01T10:00:04.000Z")
                    .request("s1", "gemini-2.5-pro", 200, 10, 0, 0, 15, null, "task-1", null, null)
                    .request("s1", "claude-sonnet-4.6", 5000, 800, 4000, 0, 0, null, null, "compaction", "2026-06-01T10:00:04.500Z")
                    .request("other-session", "gpt-5-mini", 10, 1, 0, 0, 0, null, null, null, null);
        }

        ParsedFile parsed = parse(log);
        assertEquals(List.of(), parsed.issues());
        Trace main = parsed.traces().getFirst();
        Trace agent = parsed.traces().get(1);
        // input includes the cache reads and writes; the shutdown roll-up is not used beside the store's rows
        assertEquals(List.of(List.of(100L, 300L, 600L, 50L, 20L), List.of(1000L, 0L, 4000L, 800L, 0L)), counts(main.tokenUsage()));
        assertEquals(List.of("session-store:1", "session-store:4"), main.tokenUsage().stream().map(TokenUsage::responseId).toList());
        assertTrue(main.tokenUsage().stream().allMatch(usage -> usage.requestId().equals("s1")));
        assertEquals(Instant.parse("2026-06-01T10:00:02.500Z"), main.tokenUsage().getFirst().createdAt());
        assertEquals("session_store", main.sourceMeta().get("usage_accounting"));
        assertEquals(1L, main.sourceMeta().get("compaction_usage_rows"));
        assertEquals(7L, main.sourceMeta().get("assistant_output_tokens"));
        // by agent id, then by the spawning call; a Gemini model's reasoning is outside its output
        assertEquals(List.of(List.of(300L, 0L, 100L, 30L, 0L), List.of(200L, 0L, 0L, 25L, 15L)), counts(agent.tokenUsage()));
        assertEquals(agent.endedAt(), agent.tokenUsage().get(1).createdAt(), "a row without a time is dated by its trace");
        assertEquals(2000L, agent.sourceMeta().get("store_nano_aiu"));
        assertTrue(agent.models().containsAll(List.of("claude-haiku-4.5", "gemini-2.5-pro")));
    }

    @Test
    void anOlderStoreWithoutTheOptionalColumnsIsRead()
            throws Exception
    {
        Path log = sessionLog("s1", START);
        try (CopilotStore store = CopilotStore.create(home.resolve(".copilot"), false)) {
            store.request("s1", "gpt-5-mini", 100, 5).request("s1", "gpt-5-mini", "lots", 5).request("s1", "gpt-5-mini", 70, 3);
        }

        ParsedFile parsed = parse(log);
        // the row with text for a count is an issue naming the store and the row; the others load
        assertEquals(1, parsed.issues().size());
        assertEquals(SessionStore.INVALID_ROW, parsed.issues().getFirst().errorClass());
        assertTrue(parsed.issues().getFirst().message().contains("session-store.db assistant_usage_events row 2: input_tokens lots"),
                parsed.issues().getFirst().message());
        Trace trace = only(parsed);
        assertEquals(List.of(List.of(100L, 0L, 0L, 5L, 0L), List.of(70L, 0L, 0L, 3L, 0L)), counts(trace.tokenUsage()));
        assertEquals(List.of("session-store:1", "session-store:3"), trace.tokenUsage().stream().map(TokenUsage::responseId).toList());
    }

    @Test
    void withoutStoreRowsResumedLegsCountTheirCumulativeRollupOncePerCompaction()
            throws Exception
    {
        Path log = sessionLog("s1", START + """
                {"type":"session.shutdown","data":{"shutdownType":"routine","totalNanoAiu":100,"modelMetrics":{"claude-sonnet-4.6":{"requests":{"count":2},"usage":{"inputTokens":1000,"outputTokens":100,"cacheReadTokens":600,"cacheWriteTokens":100}},"gemini-2.5-pro":{"requests":{"count":1},"usage":{"inputTokens":50,"outputTokens":5,"cacheReadTokens":0,"cacheWriteTokens":0,"reasoningTokens":4}}},"codeChanges":{"linesAdded":3,"linesRemoved":1,"filesModified":["a.txt"]}},"id":"e3","timestamp":"2026-06-01T10:01:00.000Z","parentId":"e2"}
                {"type":"session.resume","data":{"resumeTime":"2026-06-02T09:00:00.000Z","eventCount":3,"context":{"cwd":"/w/other","branch":"fix"}},"id":"e4","timestamp":"2026-06-02T09:00:00.000Z","parentId":"e3"}
                {"type":"session.shutdown","data":{"shutdownType":"routine","totalNanoAiu":300,"modelMetrics":{"claude-sonnet-4.6":{"requests":{"count":5},"usage":{"inputTokens":3000,"outputTokens":300,"cacheReadTokens":2000,"cacheWriteTokens":200}}}},"id":"e5","timestamp":"2026-06-02T09:10:00.000Z","parentId":"e4"}
                {"type":"session.resume","data":{"resumeTime":"2026-06-03T09:00:00.000Z","eventCount":5},"id":"e6","timestamp":"2026-06-03T09:00:00.000Z","parentId":"e5"}
                {"type":"session.compaction_complete","data":{"success":true,"summaryContent":"We fixed the bug in a.txt.","checkpointNumber":1},"id":"e7","timestamp":"2026-06-03T09:05:00.000Z","parentId":"e6"}
                {"type":"session.shutdown","data":{"shutdownType":"error","errorReason":"crash","modelMetrics":{"claude-sonnet-4.6":{"requests":{"count":1},"usage":{"inputTokens":400,"outputTokens":40,"cacheReadTokens":300,"cacheWriteTokens":0}}}},"id":"e8","timestamp":"2026-06-03T09:10:00.000Z","parentId":"e7"}
                {"type":"session.resume","data":{"resumeTime":"2026-06-04T09:00:00.000Z","eventCount":8},"id":"e9","timestamp":"2026-06-04T09:00:00.000Z","parentId":"e8"}
                {"type":"session.shutdown","data":{"shutdownType":"routine","modelMetrics":{"claude-sonnet-4.6":{"requests":{"count":1},"usage":{"inputTokens":100,"outputTokens":10,"cacheReadTokens":0,"cacheWriteTokens":0}}}},"id":"e10","timestamp":"2026-06-04T09:10:00.000Z","parentId":"e9"}
                """);
        // a store without rows of this session leaves the roll-ups to count
        try (CopilotStore store = CopilotStore.create(home.resolve(".copilot"), true)) {
            store.request("other-session", "gpt-5-mini", 10, 1, 0, 0, 0, null, null, null, null);
        }

        Trace trace = only(parse(log));
        // claude: legs 1-2 cumulative (3000 = the session so far), then a compaction resets: 3000 + 400, then a drop
        // with no compaction seen (400 -> 100) is a reset too: + 100. Gemini's reasoning is outside its output.
        assertEquals(List.of(List.of(3500L - 2300L - 200L, 200L, 2300L, 350L, 0L), List.of(50L, 0L, 0L, 9L, 4L)), counts(trace.tokenUsage()));
        assertEquals(List.of("session-total:claude-sonnet-4.6", "session-total:gemini-2.5-pro"), trace.tokenUsage().stream().map(TokenUsage::responseId).toList());
        assertTrue(trace.tokenUsage().stream().allMatch(usage -> usage.messageOrdinal() == null));
        assertEquals(Instant.parse("2026-06-04T09:10:00Z"), trace.tokenUsage().getFirst().createdAt());
        assertEquals("shutdown_rollup", trace.sourceMeta().get("usage_accounting"));
        assertEquals(1, trace.sourceMeta().get("shutdown_counter_resets"));
        assertEquals(List.of("routine", "routine", "error", "routine"), trace.sourceMeta().get("shutdown_types"));
        assertEquals(List.of("crash"), trace.sourceMeta().get("shutdown_error_reasons"));
        assertEquals(300, ((Number) trace.sourceMeta().get("total_nano_aiu")).intValue());
        assertEquals(Map.of("linesAdded", 3, "linesRemoved", 1, "filesModified", List.of("a.txt")), trace.sourceMeta().get("code_changes"));
        assertEquals(4L, trace.sourceMeta().get("legs"));
        assertEquals(1L, trace.sourceMeta().get("compactions"));
        // the summary that replaced the history is a message; the latest leg with a place says where the session ran
        Message summary = trace.messages().getLast();
        assertTrue(summary.isCompactSummary());
        assertEquals("We fixed the bug in a.txt.", summary.text());
        assertEquals(List.of("/w/other", "/w/other", "fix"), List.of(trace.cwd(), trace.projectPath(), trace.gitBranch()));
    }

    @Test
    void aStoreThatCannotBeReadIsAnIssueAndTheRollupsCount()
            throws IOException
    {
        Path log = sessionLog("s1", START + """
                {"type":"session.shutdown","data":{"shutdownType":"routine","modelMetrics":{"gpt-5-mini":{"usage":{"inputTokens":10,"outputTokens":2,"cacheReadTokens":4,"cacheWriteTokens":0}}}},"id":"e3","timestamp":"2026-06-01T10:01:00.000Z","parentId":"e2"}
                """);
        Files.writeString(home.resolve(".copilot").resolve(SessionStore.FILE), "not a database, but long enough to hold a header ".repeat(4));

        ParsedFile parsed = parse(log);
        assertEquals(List.of(SessionStore.UNREADABLE_STORE), parsed.issues().stream().map(issue -> issue.errorClass()).toList());
        assertEquals(0, parsed.issues().getFirst().lineNumber(), "an issue of the file, not of a line");
        Trace trace = only(parsed);
        assertEquals("shutdown_rollup", trace.sourceMeta().get("usage_accounting"));
        assertEquals(List.of(List.of(6L, 0L, 4L, 2L, 0L)), counts(trace.tokenUsage()));
    }

    @Test
    void aBrokenLineIsAnIssueAndTheRestLoads()
            throws IOException
    {
        ParsedFile parsed = parse(START + """
                {"type":"assistant.message","data":{"content":"first"},"id":"e3","timestamp":"2026-06-01T10:00:02.000Z",
                {"type":"assistant.message","data":{"content":"second","outputTokens":-4,"toolRequests":[{"name":"bash"}]},"id":"e4","timestamp":"+10000-01-01T00:00:00Z","parentId":"e2"}
                {"data":{"content":"no type"},"id":"e5","timestamp":"2026-06-01T10:00:04.000Z"}
                {"type":"session.shutdown","data":{"modelMetrics":{"gpt-5":{"usage":{"inputTokens":"many","outputTokens":1}},"gpt-5-mini":{"usage":{"inputTokens":10,"outputTokens":1}}}},"id":"e6","timestamp":"2026-06-01T10:00:05.000Z","parentId":"e4"}
                {"type":"assistant.message","data":{"content":"being writ""");

        assertEquals(List.of("3:" + JsonLines.INVALID_JSON, "4:" + LineValues.OUT_OF_RANGE, "4:" + JsonLines.UNEXPECTED_SHAPE, "5:" + JsonLines.UNEXPECTED_SHAPE,
                        "6:" + LineValues.INVALID_COUNT),
                parsed.issues().stream().map(issue -> issue.lineNumber() + ":" + issue.errorClass()).sorted().toList());
        Trace trace = only(parsed);
        // the unterminated last line is a write in progress, read by the next load
        assertEquals(List.of("fix the bug", "second"), trace.messages().stream().map(Message::text).toList());
        assertEquals(List.of(), trace.toolCalls());
        assertFalse(trace.sourceMeta().containsKey("assistant_output_tokens"));
        assertEquals(List.of(List.of(10L, 0L, 0L, 1L, 0L)), counts(trace.tokenUsage()));
    }

    @Test
    void onlyTheTopLevelTypeMakesAnEvent()
            throws IOException
    {
        Trace trace = only(parse(START + """
                {"type":"assistant.message","data":{"content":"","toolRequests":[{"toolCallId":"c1","name":"bash","arguments":{"command":"echo '{\\"type\\":\\"session.shutdown\\",\\"data\\":{\\"modelMetrics\\":{\\"x\\":{\\"usage\\":{\\"inputTokens\\":5}}}}}'"}}]},"id":"e3","timestamp":"2026-06-01T10:00:02.000Z","parentId":"e2"}
                {"type":"tool.execution_complete","data":{"toolCallId":"c1","success":true,"result":{"content":"{\\"type\\":\\"session.shutdown\\"}"}},"id":"e4","timestamp":"2026-06-01T10:00:03.000Z","parentId":"e3"}
                """));

        assertEquals(List.of(), trace.tokenUsage());
        assertEquals("none", trace.sourceMeta().get("usage_accounting"));
        assertFalse(trace.sourceMeta().containsKey("shutdown_types"));
    }

    @Test
    void traceFieldsAndTheWorkspaceName()
            throws IOException
    {
        Path log = sessionLog("dir-id", START + """
                {"type":"system.message","data":{"content":"You are Copilot.","role":"system"},"id":"e3","timestamp":"2026-06-01T10:00:02.000Z","parentId":"e2"}
                {"type":"session.model_change","data":{"newModel":"gpt-5.2","previousModel":"claude-sonnet-4.6"},"id":"e4","timestamp":"2026-06-01T10:00:03.000Z","parentId":"e3"}
                {"type":"system.notification","data":{"content":"<system_notification>agent done</system_notification>","kind":{"type":"agent_completed","agentId":"b1","agentType":"task","status":"completed"}},"id":"e5","timestamp":"2026-06-01T10:00:04.000Z","parentId":"e4"}
                """);
        Files.writeString(log.resolveSibling(Workspace.FILE), """
                id: dir-id
                cwd: /w/app
                name: "Fix the login bug"
                summary: |
                  multi-line
                """);

        Trace trace = only(parse(log));
        // the start event's session id names the trace; the folder's name is kept beside it
        assertEquals("s1", trace.traceId());
        assertEquals("dir-id", trace.sourceMeta().get("file_session_id"));
        assertEquals("Fix the login bug", trace.title());
        assertNull(trace.summary(), "a block scalar is not read");
        assertEquals(List.of("/w/app/sub", "/w/app", "main"), List.of(trace.cwd(), trace.projectPath(), trace.gitBranch()));
        assertEquals(List.of("claude-sonnet-4.6", "gpt-5.2"), trace.models());
        assertEquals(List.of("1.0.80"), trace.toolVersions());
        assertEquals("claude-sonnet-4.6", trace.sourceMeta().get("selected_model"));
        assertEquals(1L, trace.sourceMeta().get("user_messages_transformed"));
        assertEquals(List.of(Role.USER, Role.SYSTEM, Role.USER), roles(trace));
        assertEquals(List.of("text", "attachment:file"), trace.messages().getFirst().content().stream().map(ContentBlock::type).toList());
        assertTrue(trace.messages().get(2).isMeta(), "a notification is the runtime's, not the user's");
        assertEquals(Instant.parse("2026-06-01T10:00:00Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-06-01T10:00:04Z"), trace.endedAt());
    }

    @Test
    void discoveryFindsBothLayoutsAndOnlyLogsElsewhere()
            throws IOException
    {
        Path state = Files.createDirectories(home.resolve(".copilot/session-state"));
        Path current = sessionLog("a1", START);
        Path legacy = Files.writeString(state.resolve("b2.jsonl"), START);
        Files.writeString(state.resolve("a1").resolve(Workspace.FILE), "name: x\n");
        Path elsewhere = Files.createDirectories(home.resolve("copies"));
        Path copied = Files.writeString(elsewhere.resolve("copied.jsonl"), START);
        Files.writeString(elsewhere.resolve("claude.jsonl"), "{\"type\":\"user\",\"sessionId\":\"c\",\"uuid\":\"u\",\"parentUuid\":null}\n");

        assertEquals(List.of(current, legacy), format.discover(format.defaultRoots(new Environment(home, Map.of())).getFirst()));
        assertEquals(List.of(copied), format.discover(elsewhere));
        assertEquals(List.of(Path.of("/cfg/session-state")), format.defaultRoots(new Environment(home, Map.of("COPILOT_CONFIG_DIR", "/cfg", "COPILOT_HOME", "/h"))));
        assertEquals(List.of(Path.of("/h/session-state")), format.defaultRoots(new Environment(home, Map.of("COPILOT_HOME", "/h"))));
        assertTrue(format.appendOnly());
        assertEquals(List.of(), format.companions(current), "a store write must not make every session's log read again");
    }

    @Test
    void recognizedByItsEventsAheadOfAtif()
            throws IOException
    {
        // a plan tool's arguments with a "steps" key: ATIF's test passes on it, so Copilot must be asked first
        Path log = Files.writeString(home.resolve("plan.jsonl"), START + """
                {"type":"assistant.message","data":{"content":"","toolRequests":[{"toolCallId":"c1","name":"plan","arguments":{"steps":["a","b"]}}]},"id":"e3","timestamp":"2026-06-01T10:00:02.000Z","parentId":"e2"}
                """);
        FileHead head = FileHead.read(log, mapper);
        assertEquals("copilot_cli", Formats.all().stream().filter(each -> each.recognizes(log, head)).map(TraceFormat::id).findFirst().orElseThrow());

        for (String other : List.of("{\"type\":\"user\",\"sessionId\":\"c\",\"uuid\":\"u\",\"parentUuid\":null,\"message\":{\"role\":\"user\",\"content\":\"hi\"}}",
                "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"x\"}}",
                "{\"type\":\"session\",\"version\":3,\"id\":\"p\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"cwd\":\"/w\"}",
                "{\"sessionId\":\"g\",\"projectHash\":\"h\",\"startTime\":\"2026-01-01T00:00:00Z\"}")) {
            Path file = Files.writeString(home.resolve("other.jsonl"), other + "\n");
            assertFalse(format.recognizes(file, FileHead.read(file, mapper)), other);
        }
    }

    private Path sessionLog(String id, String text)
            throws IOException
    {
        Path folder = Files.createDirectories(home.resolve(".copilot/session-state").resolve(id));
        return Files.writeString(folder.resolve(CopilotFormat.EVENTS), text);
    }

    private static List<List<Long>> counts(List<TokenUsage> usage)
    {
        return usage.stream().map(row -> List.of(row.inputTokens(), row.cacheCreationInputTokens(), row.cacheReadInputTokens(), row.outputTokens(),
                row.reasoningOutputTokens())).toList();
    }

    private static List<Role> roles(Trace trace)
    {
        return trace.messages().stream().map(Message::role).toList();
    }

    private static Trace only(ParsedFile parsed)
    {
        assertEquals(1, parsed.traces().size(), parsed.traces().toString());
        return parsed.traces().getFirst();
    }

    private ParsedFile parse(String text)
            throws IOException
    {
        Path file = home.resolve("log.jsonl");
        try (InputStream input = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
    }

    private ParsedFile parse(Path file)
            throws IOException
    {
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
    }
}
