package dev.tracewh.format.amp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.Formats;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
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

/** The hand-written threads of {@link AmpThreads} and broken documents, one rule at a time (no Amp fixture is public). */
class AmpFormatTest
{
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final AmpFormat format = new AmpFormat();

    @TempDir
    Path folder;

    @Test
    void threadsLiveInAmpsDataFolderOrTheFoldersAmpDataDirListsAndAreRewrittenWhole()
            throws IOException
    {
        Path home = Path.of("/home/u");
        assertEquals(List.of(home.resolve(".local/share/amp/threads")), format.defaultRoots(new Environment(home, Map.of())));
        assertEquals(List.of(Path.of("/a/threads"), Path.of("/b/threads")), format.defaultRoots(new Environment(home, Map.of("AMP_DATA_DIR", "/a, /b"))));
        assertFalse(format.appendOnly());

        AmpThreads.writeAll(folder.resolve("threads"));
        Files.writeString(folder.resolve("session.json"), "{\"lastThreadId\": \"" + AmpThreads.CURRENT + "\"}");
        Files.writeString(folder.resolve("threads/notes.json"), "{}");
        assertEquals(4, format.discover(folder).size(), "the four T-*.json files, not session.json or notes.json");
        assertTrue(format.discover(folder).stream().allMatch(AmpFormat::isThread));
    }

    @Test
    void theSharedFixtureFolderHoldsNoThread()
            throws IOException
    {
        // shared/fixtures/amp has only its MANIFEST: no real or synthetic thread was found to collect
        assertEquals(List.of(), format.discover(SharedFixtures.path("amp")));
    }

    @Test
    void anAmpThreadIsRecognizedAndNoOtherJsonDocumentIs()
            throws IOException
    {
        ObjectMapper mapper = JsonLines.newMapper();
        Path thread = folder.resolve("export.json");
        Files.writeString(thread, AmpThreads.CURRENT_THREAD);
        FileHead head = FileHead.read(thread, mapper);
        assertEquals(List.of("amp"), Formats.all().stream().filter(f -> f.recognizes(thread, head)).map(TraceFormat::id).toList(),
                "no format before Amp claims its thread");
        Path ledger = folder.resolve("T-c.json");
        Files.writeString(ledger, AmpThreads.LEDGER_THREAD);
        assertTrue(format.recognizes(ledger, FileHead.read(ledger, mapper)));

        Path atif = folder.resolve("trajectory.json");
        Files.writeString(atif, "{\"schema_version\": \"ATIF-v1.6\", \"session_id\": \"s\", \"steps\": []}");
        assertFalse(format.recognizes(atif, FileHead.read(atif, mapper)));
        Path hermes = folder.resolve("session_x.json");
        Files.writeString(hermes, "{\"session_id\": \"x\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        assertFalse(format.recognizes(hermes, FileHead.read(hermes, mapper)));
    }

    @Test
    void toolResultsAreAmpsRunsAndUsageIsPerAssistantMessage()
            throws IOException
    {
        ParsedFile parsed = parse(AmpThreads.CURRENT + ".json", AmpThreads.CURRENT_THREAD);
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals(AmpThreads.CURRENT, trace.traceId());
        assertEquals(AmpThreads.CURRENT, trace.rootSessionId());
        assertEquals("amp", trace.sourceKind());
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT),
                trace.messages().stream().map(Message::role).toList(), "a user message's results come first, then its text");
        Message first = trace.messages().get(1);
        assertEquals(List.of(ContentBlock.text("Reading it.")), first.content());
        assertEquals("Look at the test first", first.reasoningContent());
        assertEquals("claude-sonnet-4-5", first.model());
        assertEquals(List.of(ContentBlock.text("Also check lint")), trace.messages().get(4).content());
        assertEquals("toolu_2", trace.messages().get(3).toolCallId());

        List<ToolCall> calls = trace.toolCalls();
        assertEquals(List.of("toolu_1", "toolu_2", "toolu_3"), calls.stream().map(ToolCall::toolCallId).toList());
        assertEquals(List.of("Read", "Bash", "grep"), calls.stream().map(ToolCall::name).toList());
        assertEquals("{\"path\":\"src/a.test.ts\"}", calls.get(0).arguments());
        assertEquals(T0.plusSeconds(5), calls.get(0).calledAt(), "the run's startTime");
        assertEquals(T0.plusSeconds(5), calls.get(1).calledAt(), "no startTime: the message's time");
        assertEquals(List.of(2, 3, 6), calls.stream().map(ToolCall::resultOrdinal).toList());
        assertEquals("test body", calls.get(0).resultText());
        assertEquals("exit 1", calls.get(1).resultText(), "an error's message");
        assertEquals(java.util.Arrays.asList(false, true, true), calls.stream().map(ToolCall::isError).toList(), "done, error, cancelled");

        assertEquals(List.of(
                new TokenUsage(AmpThreads.CURRENT + "/message-1", "", 1, "claude-sonnet-4-5", T0.plusSeconds(5), 10, 3000, 0, 0, 200, 0),
                new TokenUsage(AmpThreads.CURRENT + "/message-3", "", 5, "claude-sonnet-4-5", T0.plusSeconds(15), 5, 100, 0, 3000, 50, 0),
                new TokenUsage(AmpThreads.CURRENT + "/message-5", "", 7, "claude-sonnet-4-5", T0.plusSeconds(30), 8, 0, 0, 3100, 40, 0)), trace.tokenUsage());

        assertEquals("/home/u/my repo", trace.cwd(), "the first tree's file URI, decoded");
        assertEquals("fix/flaky", trace.gitBranch());
        assertEquals("Fix flaky test", trace.title());
        assertEquals(T0, trace.startedAt());
        assertEquals(T0.plusSeconds(30), trace.endedAt());
        assertEquals(List.of("0.0.1767000000"), trace.toolVersions());
        assertEquals(Map.of("cancelled", 1L, "done", 1L, "error", 1L), trace.sourceMeta().get("tool_result_statuses"));
        assertEquals(42L, trace.sourceMeta().get("revision"));
        assertEquals("Fixed: the test waited on a timer.", trace.finalAssistantMessage());
    }

    @Test
    void aGptThreadsUncachedPromptIsInputAndAnOldUsageKeepsItsTokensWithoutAModel()
            throws IOException
    {
        Trace trace = parse(AmpThreads.GPT + ".json", AmpThreads.GPT_THREAD).traces().getFirst();
        assertEquals(List.of(
                new TokenUsage(AmpThreads.GPT + "/message-1", "", 1, "gpt-5", Instant.parse("2026-01-01T23:59:30Z"), 1200, 0, 0, 800, 150, 0),
                new TokenUsage(AmpThreads.GPT + "/message-3", "", 3, null, Instant.parse("2026-01-02T00:01:10Z"), 20, 0, 0, 500, 30, 0)), trace.tokenUsage());
        assertEquals(1L, trace.sourceMeta().get("usage_without_model"));
        assertEquals(Map.of("cancelled", 1L, "complete", 1L), trace.sourceMeta().get("message_states"));
        assertEquals("smart", trace.sourceMeta().get("agent_mode"));
        assertNull(trace.cwd(), "the thread names no tree");
    }

    @Test
    void aLegacyLedgerIsTheUsageWithCacheBucketsFromTheMessageItNames()
            throws IOException
    {
        Trace trace = parse(AmpThreads.LEDGER + ".json", AmpThreads.LEDGER_THREAD).traces().getFirst();
        Instant t0 = Instant.parse("2025-06-01T10:00:00Z");
        assertEquals(List.of(
                new TokenUsage(AmpThreads.LEDGER + "/ledger-ev-1", "", 1, "claude-sonnet-4", t0.plusSeconds(5), 50, 400, 0, 1600, 70, 0),
                new TokenUsage(AmpThreads.LEDGER + "/ledger-ev-2", "", 3, "claude-sonnet-4", t0.plusSeconds(15), 10, 0, 0, 0, 20, 0)), trace.tokenUsage(),
                "message 1's own input and output are the ledger's event, not a second response; ev-2's total above its buckets is not billed");
        assertEquals(new BigDecimal("0.75"), trace.sourceMeta().get("ledger_credits"));
        assertEquals(List.of(ContentBlock.text("Rename the module")), trace.messages().getFirst().content(), "string content is one text block");
        assertEquals("{\"diff\":\"-a\\n+b\"}", trace.toolCalls().getFirst().resultText(), "a JSON result is kept as JSON text");
    }

    @Test
    void anEmptyThreadIsATraceWithoutMessages()
            throws IOException
    {
        Trace trace = parse(AmpThreads.EMPTY + ".json", AmpThreads.EMPTY_THREAD).traces().getFirst();
        assertEquals(0, trace.messageCount());
        assertEquals(Instant.ofEpochMilli(1767225700000L), trace.startedAt(), "its created time");
    }

    @Test
    void aRewrittenSnapshotKeepsTheKeysOfItsUsage()
            throws IOException
    {
        String grown = AmpThreads.GPT_THREAD.replace("""
                 "usage": {"inputTokens": 20, "outputTokens": 30, "cacheCreationInputTokens": 0, "cacheReadInputTokens": 500}}
                """, """
                 "usage": {"inputTokens": 20, "outputTokens": 30, "cacheCreationInputTokens": 0, "cacheReadInputTokens": 500}},
                {"role": "assistant", "messageId": 4, "content": [{"type": "text", "text": "More."}],
                 "usage": {"model": "gpt-5", "timestamp": "2026-01-02T00:02:00Z", "inputTokens": 0, "outputTokens": 5, "cacheCreationInputTokens": 10, "cacheReadInputTokens": 0}}
                """);
        List<String> before = parse(AmpThreads.GPT + ".json", AmpThreads.GPT_THREAD).traces().getFirst().tokenUsage().stream().map(TokenUsage::responseId).toList();
        List<String> after = parse(AmpThreads.GPT + ".json", grown).traces().getFirst().tokenUsage().stream().map(TokenUsage::responseId).toList();
        assertEquals(3, after.size());
        assertEquals(before, after.subList(0, 2));
    }

    @Test
    void aBrokenMessageIsAnIssueNamingItsLineAndTheRestLoads()
            throws IOException
    {
        ParsedFile parsed = parse("T-x.json", """
                {
                  "id": "T-x",
                  "messages": [
                    "oops",
                    {"role": "assistant", "messageId": 1, "content": [{"type": "text", "text": "hi"}, {"type": "tool_use", "name": "Read"}, {"type": "mystery"}],
                     "usage": {"model": "m", "inputTokens": -1, "outputTokens": 2}},
                    {"role": "user", "messageId": 2, "content": [{"type": "tool_result", "run": {"status": "done"}}]},
                    {"role": "info", "content": []}
                  ]
                }
                """);
        assertEquals(List.of("4:invalid_message", "5:invalid_message", "7:invalid_message", "5:invalid_count"),
                parsed.issues().stream().map(issue -> issue.lineNumber() + ":" + issue.errorClass()).toList());
        Trace trace = parsed.traces().getFirst();
        assertEquals(List.of(Role.ASSISTANT), trace.messages().stream().map(Message::role).toList());
        assertEquals(List.of(), trace.tokenUsage());
        assertEquals(1L, trace.sourceMeta().get("messages_with_other_roles"));
        assertEquals(1L, trace.sourceMeta().get("unknown_block_types"));
    }

    @Test
    void aBrokenLedgerEventIsAnIssueOnTheLedgersLine()
            throws IOException
    {
        ParsedFile parsed = parse("T-l.json", """
                {
                  "id": "T-l",
                  "usageLedger": {"events": [
                    "oops",
                    {"id": "e", "timestamp": "2025-06-01T10:00:05Z", "model": "m", "tokens": {"input": 1.5, "output": 2}}]},
                  "messages": []
                }
                """);
        assertEquals(List.of("3:invalid_message", "3:invalid_count"), parsed.issues().stream().map(issue -> issue.lineNumber() + ":" + issue.errorClass()).toList());
        assertEquals(List.of(), parsed.traces().getFirst().tokenUsage());
    }

    @Test
    void aDocumentThatIsNoThreadYieldsNoTrace()
            throws IOException
    {
        assertEquals(List.of(JsonLines.INVALID_JSON), classes(parse("T-a.json", "{\"id\": \"T-a\",\n \"messages\": [")));
        assertEquals(List.of(JsonLines.NOT_AN_OBJECT), classes(parse("T-a.json", "[]")));
        assertEquals(List.of(ThreadParser.NOT_A_THREAD), classes(parse("export.json", "{\"messages\": []}")));
        assertEquals("T-from-id", parse("export.json", "{\"id\": \"T-from-id\", \"messages\": []}").traces().getFirst().traceId());
    }

    private static List<String> classes(ParsedFile parsed)
    {
        assertEquals(List.of(), parsed.traces());
        return parsed.issues().stream().map(ParseIssue::errorClass).toList();
    }

    private ParsedFile parse(String name, String json)
            throws IOException
    {
        return format.parse(Path.of("/threads", name), new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), ReadOptions.DEFAULT);
    }
}
