package dev.tracewh.format.pi;

import dev.tracewh.format.Environment;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.openclaw.OpenClawFormat;
import dev.tracewh.model.Message;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small hand-written Pi sessions for the rules the real fixtures lack: branches, summaries, usage, bad lines, roots. */
class PiFormatTest
{
    private static final String HEADER = """
            {"type":"session","version":3,"id":"s1","timestamp":"2026-01-01T00:00:00Z","cwd":"/p"}
            """;

    @TempDir
    Path folder;

    @Test
    void branchesFollowTheLastEntry()
            throws IOException
    {
        // e2a is abandoned by /tree: e2b (a sibling) comes later, after a branch summary; the last entry's chain wins
        Trace trace = parse(HEADER + """
                {"type":"message","id":"e1","parentId":null,"timestamp":"2026-01-01T00:00:01Z","message":{"role":"user","content":"hi"}}
                {"type":"message","id":"e2a","parentId":"e1","timestamp":"2026-01-01T00:00:02Z","message":{"role":"assistant","content":[{"type":"text","text":"A"}]}}
                {"type":"branch_summary","id":"b1","parentId":"e1","fromId":"e2a","summary":"tried A","timestamp":"2026-01-01T00:00:03Z"}
                {"type":"message","id":"e2b","parentId":"b1","timestamp":"2026-01-01T00:00:04Z","message":{"role":"assistant","content":[{"type":"text","text":"B"}]}}
                {"type":"label","id":"l1","parentId":"e2b","targetId":"e2b","label":"good","timestamp":"2026-01-01T00:00:05Z"}
                """).traces().getFirst();
        assertEquals(List.of("e1:0", "e2a:1", "b1:0", "e2b:0"),
                trace.messages().stream().map(message -> message.lineUuid() + ":" + message.branch()).toList());
        assertTrue(trace.messages().get(2).isCompactSummary());
        assertEquals("B", trace.finalAssistantMessage());
        assertEquals(3, trace.activePathMessageCount());
    }

    @Test
    void eachAbandonedForkHasABranchNumberOfItsOwn()
            throws IOException
    {
        // e1 is answered three times: a1 (then a1 -> u2 -> a2, and a fork under u2: a2x), b1, and c1 the last answer.
        // The conversation leaves the path twice, below e1 to a1 and below e1 to b1: two branches; the fork a2x
        // hangs below a1, off the path, so it is part of a1's branch, numbered in file order before b1's
        Trace trace = parse(HEADER + """
                {"type":"message","id":"e1","parentId":null,"timestamp":"2026-01-01T00:00:01Z","message":{"role":"user","content":"hi"}}
                {"type":"message","id":"a1","parentId":"e1","timestamp":"2026-01-01T00:00:02Z","message":{"role":"assistant","content":"A"}}
                {"type":"message","id":"u2","parentId":"a1","timestamp":"2026-01-01T00:00:03Z","message":{"role":"user","content":"more"}}
                {"type":"message","id":"a2","parentId":"u2","timestamp":"2026-01-01T00:00:04Z","message":{"role":"assistant","content":"A2"}}
                {"type":"message","id":"b1","parentId":"e1","timestamp":"2026-01-01T00:00:05Z","message":{"role":"assistant","content":"B"}}
                {"type":"message","id":"a2x","parentId":"u2","timestamp":"2026-01-01T00:00:06Z","message":{"role":"assistant","content":"A2x"}}
                {"type":"model_change","id":"m1","parentId":"e1","provider":"p","modelId":"m","timestamp":"2026-01-01T00:00:07Z"}
                {"type":"message","id":"c1","parentId":"m1","timestamp":"2026-01-01T00:00:08Z","message":{"role":"assistant","content":"C"}}
                """).traces().getFirst();
        assertEquals(List.of("e1:0", "a1:1", "u2:1", "a2:1", "b1:2", "a2x:1", "c1:0"),
                trace.messages().stream().map(message -> message.lineUuid() + ":" + message.branch()).toList());
        assertEquals("C", trace.finalAssistantMessage());
    }

    @Test
    void branchesAreNumberedInFileOrderWhateverTheDepthOfTheirFork()
            throws IOException
    {
        // the path is e1 -> e2 -> e3b; e3a (with its own fork e4a/e4b) left it below e2, x2 below e1 earlier in the
        // file: numbers follow the file order of each branch's first message, not the depth of the fork
        Trace trace = parse(HEADER + """
                {"type":"message","id":"e1","parentId":null,"timestamp":"2026-01-01T00:00:01Z","message":{"role":"user","content":"q"}}
                {"type":"message","id":"x2","parentId":"e1","timestamp":"2026-01-01T00:00:02Z","message":{"role":"assistant","content":"X"}}
                {"type":"message","id":"e2","parentId":"e1","timestamp":"2026-01-01T00:00:03Z","message":{"role":"assistant","content":"Y"}}
                {"type":"message","id":"e3a","parentId":"e2","timestamp":"2026-01-01T00:00:04Z","message":{"role":"user","content":"then a"}}
                {"type":"message","id":"e4a","parentId":"e3a","timestamp":"2026-01-01T00:00:05Z","message":{"role":"assistant","content":"4a"}}
                {"type":"message","id":"e4b","parentId":"e3a","timestamp":"2026-01-01T00:00:06Z","message":{"role":"assistant","content":"4b"}}
                {"type":"message","id":"e3b","parentId":"e2","timestamp":"2026-01-01T00:00:07Z","message":{"role":"user","content":"then b"}}
                """).traces().getFirst();
        assertEquals(List.of("e1:0", "x2:1", "e2:0", "e3a:2", "e4a:2", "e4b:2", "e3b:0"),
                trace.messages().stream().map(message -> message.lineUuid() + ":" + message.branch()).toList());
        assertEquals(3, trace.activePathMessageCount());
    }

    @Test
    void usageThinkingHiddenContextAndBash()
            throws IOException
    {
        Trace trace = parse(HEADER + """
                {"type":"custom_message","id":"c1","parentId":null,"customType":"ctx","content":"injected","display":false,"timestamp":"2026-01-01T00:00:01Z"}
                {"type":"message","id":"e1","parentId":"c1","timestamp":"2026-01-01T00:00:02Z","message":{"role":"bashExecution","command":"ls","output":"a\\n","exitCode":0,"cancelled":false,"truncated":false}}
                {"type":"message","id":"e2","parentId":"e1","timestamp":"2026-01-01T00:00:03Z","message":{"role":"assistant","model":"m","responseId":"r1","content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"ok"}],"usage":{"input":10,"output":7,"cacheRead":3,"cacheWrite":2,"reasoning":4,"totalTokens":22}}}
                {"type":"compaction","id":"k1","parentId":"e2","summary":"so far","firstKeptEntryId":"e2","tokensBefore":100,"timestamp":"2026-01-01T00:00:04Z"}
                """).traces().getFirst();
        List<Message> messages = trace.messages();
        assertEquals(List.of(Role.USER, Role.USER, Role.ASSISTANT, Role.USER), messages.stream().map(Message::role).toList());
        assertTrue(messages.get(0).isMeta());
        assertEquals("$ ls\na\n\n[exit code: 0]", messages.get(1).text());
        assertEquals("hmm", messages.get(2).reasoningContent());
        assertTrue(messages.get(3).isCompactSummary());
        assertEquals(List.of(new TokenUsage("r1", "e2", 2, "m", messages.get(2).createdAt(), 10, 2, 3, 7, 4)), trace.tokenUsage());
    }

    @Test
    void openClawModelSnapshotsNameModels()
            throws IOException
    {
        Trace trace = parse(HEADER + """
                {"type":"custom","id":"c1","parentId":null,"customType":"model-snapshot","data":{"provider":"p","modelId":"snap-model"},"timestamp":"2026-01-01T00:00:01Z"}
                {"type":"custom","id":"c2","parentId":"c1","customType":"ui_state","data":{"modelId":"not-a-model"},"timestamp":"2026-01-01T00:00:02Z"}
                """).traces().getFirst();
        assertEquals(List.of("snap-model"), trace.models());
        assertEquals(List.of(), trace.messages());
    }

    @Test
    void aBrokenLineIsAnIssueAndTheRestLoads()
            throws IOException
    {
        ParsedFile parsed = parse(HEADER + """
                {"type":"message","id":"e1","parentId":null,"timestamp":"2026-01-01T00:00:01Z","message":{"role":"user","content":"hi"}}
                {"type":"message","id":"e2",
                {"type":"message","id":"e3","parentId":"e1","timestamp":"2026-01-01T00:00:03Z","message":{"role":"assistant","content":"yes"}}
                """);
        assertEquals(1, parsed.issues().size());
        assertEquals(3, parsed.issues().getFirst().lineNumber());
        assertEquals(JsonLines.INVALID_JSON, parsed.issues().getFirst().errorClass());
        assertEquals(2, parsed.traces().getFirst().activePathMessageCount());
    }

    @Test
    void aFileWithoutHeaderIsNoTrace()
            throws IOException
    {
        ParsedFile parsed = parse("""
                {"type":"message","id":"e1","parentId":null,"message":{"role":"user","content":"hi"}}
                {"type":"message","id":"e2","parentId":"e1","message":{"role":"user","content":"again"}}
                """);
        assertEquals(List.of(), parsed.traces());
        assertEquals(1, parsed.issues().size());
    }

    @Test
    void defaultRootsHonourTheOverrides()
    {
        Path home = Path.of("/home/u");
        assertEquals(List.of(home.resolve(".pi/agent/sessions")), new PiFormat().defaultRoots(new Environment(home, Map.of())));
        assertEquals(List.of(Path.of("/x/sessions")),
                new PiFormat().defaultRoots(new Environment(home, Map.of("PI_CODING_AGENT_DIR", "/x"))));
        assertEquals(List.of(home.resolve(".openclaw/agents"), home.resolve(".clawdbot/agents"), home.resolve(".moltbot/agents"),
                home.resolve(".moldbot/agents")), new OpenClawFormat().defaultRoots(new Environment(home, Map.of())));
        assertEquals(List.of(Path.of("/a/agents"), Path.of("/b/agents")),
                new OpenClawFormat().defaultRoots(new Environment(home, Map.of("OPENCLAW_DIR", "/a, /b"))));
    }

    @Test
    void openClawFindsArchivesButNotBackups()
            throws IOException
    {
        Path sessions = Files.createDirectories(folder.resolve("agents/main/sessions"));
        for (String name : List.of("s1.jsonl", "s2.jsonl.reset.2026-02-18T10-00-00.000Z", "s3.jsonl.deleted.1771408800000",
                "s1.jsonl.full.bak", "sessions.json")) {
            Files.writeString(sessions.resolve(name), HEADER);
        }
        assertEquals(List.of("s1.jsonl", "s2.jsonl.reset.2026-02-18T10-00-00.000Z", "s3.jsonl.deleted.1771408800000"),
                new OpenClawFormat().discover(folder).stream().map(path -> path.getFileName().toString()).toList());
    }

    private static ParsedFile parse(String text)
            throws IOException
    {
        return new PiFormat().parse(Path.of("s.jsonl"), new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ReadOptions.DEFAULT);
    }
}
