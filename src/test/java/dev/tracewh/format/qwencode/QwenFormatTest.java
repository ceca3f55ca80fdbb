package dev.tracewh.format.qwencode;

import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small hand-written Qwen Code chats for the rules the fixtures do not exercise. */
class QwenFormatTest
{
    private static final String USER = """
            {"uuid":"u1","parentUuid":null,"sessionId":"s1","timestamp":"2026-01-01T00:00:01Z","type":"user","cwd":"/p","version":"0.22.0","message":{"role":"user","parts":[{"text":"hi"}]}}
            """;

    private final QwenCodeFormat qwen = new QwenCodeFormat();

    @TempDir
    Path folder;

    @Test
    void defaultRootFollowsTheRuntimeDirectory()
    {
        assertEquals(List.of(Path.of("/h/.qwen/projects")), qwen.defaultRoots(new Environment(Path.of("/h"), Map.of())));
        assertEquals(List.of(Path.of("/q/projects")), qwen.defaultRoots(new Environment(Path.of("/h"), Map.of("QWEN_HOME", "/q"))));
        // the runtime directory wins over QWEN_HOME, and "~" is the home
        assertEquals(List.of(Path.of("/h/rt/projects")),
                qwen.defaultRoots(new Environment(Path.of("/h"), Map.of("QWEN_HOME", "/q", "QWEN_RUNTIME_DIR", "~/rt"))));
    }

    @Test
    void discoveryReadsChatsAndTheirArchive()
            throws IOException
    {
        Path chats = Files.createDirectories(folder.resolve("projects/-p/chats"));
        Files.writeString(chats.resolve("s1.jsonl"), USER);
        Files.writeString(Files.createDirectories(chats.resolve("archive")).resolve("s0.jsonl"), USER);
        Files.writeString(Files.createDirectories(folder.resolve("tmp/abc")).resolve("logs.jsonl"), USER);
        Files.writeString(Files.createDirectories(folder.resolve("debug")).resolve("s1.jsonl"), USER);
        assertEquals(List.of(chats.resolve("archive/s0.jsonl"), chats.resolve("s1.jsonl")), qwen.discover(folder));
    }

    @Test
    void qwenAndClaudeCodeLinesAreToldApart()
            throws IOException
    {
        String claude = """
                {"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/p","sessionId":"c1","version":"2.1.0","type":"user","message":{"role":"user","content":"hi"},"uuid":"x1","timestamp":"2026-01-01T00:00:00Z"}
                """;
        String qwenSystem = """
                {"uuid":"s0","parentUuid":null,"sessionId":"s1","timestamp":"2026-01-01T00:00:00Z","type":"system","subtype":"parent_session","systemPayload":{"parentSessionId":"p0"}}
                """;
        String glued = USER.strip() + USER;
        ClaudeCodeFormat claudeCode = new ClaudeCodeFormat();
        for (String text : List.of(USER, qwenSystem, glued)) {
            assertTrue(qwen.recognizes(folder, head(text)), text);
            assertFalse(claudeCode.recognizes(folder, head(text)), text);
        }
        assertFalse(qwen.recognizes(folder, head(claude)));
        assertTrue(claudeCode.recognizes(folder, head(claude)));
    }

    @Test
    void thoughtsAreOutsideTheCandidatesUnlessTheTotalSaysOtherwise()
    {
        Trace trace = parse(USER + """
                {"uuid":"a1","parentUuid":"u1","sessionId":"s1","timestamp":"2026-01-01T00:00:02Z","type":"assistant","model":"qwen3-coder-plus","message":{"role":"model","parts":[{"text":"hmm","thought":true},{"text":"A"}]},"usageMetadata":{"promptTokenCount":100,"cachedContentTokenCount":60,"candidatesTokenCount":10,"thoughtsTokenCount":7,"totalTokenCount":117}}
                {"uuid":"a2","parentUuid":"a1","sessionId":"s1","timestamp":"2026-01-01T00:00:03Z","type":"assistant","model":"qwen3-coder-plus","message":{"role":"model","parts":[{"text":"B"}]},"usageMetadata":{"promptTokenCount":200,"candidatesTokenCount":10,"thoughtsTokenCount":7,"totalTokenCount":210}}
                {"uuid":"a3","parentUuid":"a2","sessionId":"s1","timestamp":"2026-01-01T00:00:04Z","type":"assistant","message":{"role":"model","parts":[{"text":"C"}]},"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":1,"thoughtsTokenCount":2}}
                """).traces().getFirst();
        assertEquals("hmm", trace.messages().get(1).reasoningContent());
        List<TokenUsage> usage = trace.tokenUsage();
        // total = prompt + candidates + thoughts: the thoughts are output besides the candidates
        assertEquals(List.of(40L, 60L, 17L, 7L), counts(usage.get(0)));
        // total = prompt + candidates: the thoughts are part of the candidates
        assertEquals(List.of(200L, 0L, 10L, 7L), counts(usage.get(1)));
        // no total: Gemini's convention, thoughts outside
        assertEquals(List.of(5L, 0L, 3L, 2L), counts(usage.get(2)));
    }

    @Test
    void compressionIsAFlaggedSystemMessageAndTheEarlierHistoryStays()
    {
        Trace trace = parse(USER + """
                {"uuid":"a1","parentUuid":"u1","sessionId":"s1","timestamp":"2026-01-01T00:00:02Z","type":"assistant","message":{"role":"model","parts":[{"text":"A"}]}}
                {"uuid":"c1","parentUuid":"a1","sessionId":"s1","timestamp":"2026-01-01T00:00:03Z","type":"system","subtype":"chat_compression","systemPayload":{"info":{"originalTokenCount":900,"newTokenCount":50},"compressedHistory":[{"role":"user","parts":[{"text":"summary of the chat"}]},{"role":"model","parts":[{"text":"Got it."}]}]}}
                """).traces().getFirst();
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.SYSTEM), trace.messages().stream().map(message -> message.role()).toList());
        assertTrue(trace.messages().getLast().isCompactSummary());
        assertTrue(trace.messages().getLast().text().startsWith("summary of the chat"));
        assertEquals(3, trace.activePathMessageCount());
        assertEquals(1L, trace.sourceMeta().get("compressions"));
    }

    @Test
    void subAgentRecordsBecomeTracesOfTheirOwn()
    {
        List<Trace> traces = parse(USER + """
                {"uuid":"a1","parentUuid":"u1","sessionId":"s1","timestamp":"2026-01-01T00:00:02Z","type":"assistant","message":{"role":"model","parts":[{"functionCall":{"id":"t1","name":"task","args":{"prompt":"look"}}}]}}
                {"uuid":"x1","parentUuid":null,"sessionId":"s1","agentId":"ag1","isSidechain":true,"timestamp":"2026-01-01T00:00:03Z","type":"user","message":{"role":"user","parts":[{"text":"look"}]}}
                {"uuid":"x2","parentUuid":"x1","sessionId":"s1","agentId":"ag1","isSidechain":true,"timestamp":"2026-01-01T00:00:04Z","type":"assistant","model":"m","message":{"role":"model","parts":[{"text":"seen"}]},"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":2,"totalTokenCount":11}}
                {"uuid":"r1","parentUuid":"a1","sessionId":"s1","timestamp":"2026-01-01T00:00:05Z","type":"tool_result","message":{"role":"user","parts":[{"functionResponse":{"id":"t1","name":"task","response":{"output":"seen"}}}]},"toolCallResult":{"callId":"t1","status":"success"}}
                """).traces();
        assertEquals(List.of("s1", "s1:ag1"), traces.stream().map(Trace::traceId).toList());
        Trace main = traces.getFirst();
        assertEquals(3, main.messages().size());
        assertEquals(List.of(), main.tokenUsage());
        Trace agent = traces.get(1);
        assertEquals("ag1", agent.agentId());
        assertTrue(agent.isSidechain());
        assertEquals("s1", agent.rootSessionId());
        assertEquals(2, agent.activePathMessageCount());
        assertEquals(1, agent.tokenUsage().size());
    }

    @Test
    void aSubSessionNamesItsParentAsRoot()
    {
        Trace trace = parse("""
                {"uuid":"p1","parentUuid":null,"sessionId":"s2","timestamp":"2026-01-01T00:00:00Z","type":"system","subtype":"parent_session","systemPayload":{"parentSessionId":"s1"}}
                {"uuid":"u1","parentUuid":"p1","sessionId":"s2","timestamp":"2026-01-01T00:00:01Z","type":"user","message":{"role":"user","parts":[{"text":"hi"}]}}
                """).traces().getFirst();
        assertEquals("s2", trace.traceId());
        assertEquals("s1", trace.rootSessionId());
    }

    @Test
    void brokenLinesAreIssuesNamingTheirLineAndTheRestLoads()
    {
        String partial = "{\"uuid\":\"a2\",\"parentUuid\":\"u2\",\"sessionId\":\"s1\",\"type\":\"assist";
        String complete = USER + """
                {"uuid":"a1","parentUuid":"u1","sessionId":"s1","timestamp":"2026-01-01T00:00:02Z","type":"assistant","message":{"role":"model","parts":[{"text":"A"}]},"usageMetadata":{"promptTokenCount":-3}}
                {"uuid":"b1", oops
                {"parentUuid":"a1","type":"user"}
                {"uuid":"u2","parentUuid":"a1","sessionId":"s1","timestamp":"2026-01-01T00:00:03Z","type":"user","message":{"role":"user","parts":[{"text":"more"}]}}
                """;
        ParsedFile parsed = parse(complete + partial);
        assertEquals(List.of(2L, 3L, 4L), parsed.issues().stream().map(issue -> issue.lineNumber()).toList());
        assertEquals(List.of("invalid_count", JsonLines.INVALID_JSON, JsonLines.UNEXPECTED_SHAPE),
                parsed.issues().stream().map(issue -> issue.errorClass()).toList());
        Trace trace = parsed.traces().getFirst();
        // the last line is a write in progress: not an issue, not consumed
        assertEquals(3, trace.messages().size());
        assertEquals(List.of(), trace.tokenUsage());
        assertEquals(complete.length(), parsed.consumedBytes());
    }

    private static List<Long> counts(TokenUsage usage)
    {
        return List.of(usage.inputTokens(), usage.cacheReadInputTokens(), usage.outputTokens(), usage.reasoningOutputTokens());
    }

    private FileHead head(String text)
            throws IOException
    {
        Path file = Files.writeString(folder.resolve("head.jsonl"), text);
        return FileHead.read(file, JsonLines.newMapper());
    }

    private ParsedFile parse(String text)
    {
        try {
            return qwen.parse(folder.resolve("s1.jsonl"), new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ReadOptions.DEFAULT);
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
