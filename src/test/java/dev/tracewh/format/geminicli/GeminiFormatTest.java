package dev.tracewh.format.geminicli;

import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written sessions for the rules the fixtures do not exercise. */
class GeminiFormatTest
{
    private static final String META = """
            {"sessionId":"s1","projectHash":"h","startTime":"2026-05-01T00:00:00Z","lastUpdated":"2026-05-01T00:00:00Z","kind":"main"}
            """;

    private final GeminiFormat format = new GeminiFormat();

    @TempDir
    Path home;

    @Test
    void aRepeatedIdReplacesTheEarlierCopyInItsPlace()
            throws IOException
    {
        Trace trace = single(write("chats/session-a.jsonl", META + """
                {"id":"u1","timestamp":"2026-05-01T00:00:01Z","type":"user","content":[{"text":"ls"}]}
                {"id":"g1","timestamp":"2026-05-01T00:00:02Z","type":"gemini","content":"","toolCalls":[{"id":"t1","name":"run_shell_command","args":{"command":"ls"},"status":"executing"}],"tokens":{"input":100,"output":5,"cached":0,"thoughts":0,"tool":0,"total":105},"model":"m"}
                {"id":"u2","timestamp":"2026-05-01T00:00:03Z","type":"user","content":[{"functionResponse":{"id":"t1","name":"run_shell_command","response":{"output":"a b"}}}]}
                {"id":"g1","timestamp":"2026-05-01T00:00:02Z","type":"gemini","content":"","toolCalls":[{"id":"t1","name":"run_shell_command","args":{"command":"ls"},"status":"success","result":[{"functionResponse":{"id":"t1","name":"run_shell_command","response":{"output":"a b"}}}]}],"tokens":{"input":120,"output":6,"cached":20,"thoughts":4,"tool":3,"total":133},"model":"m"}
                {"id":"g2","timestamp":"2026-05-01T00:00:04Z","type":"gemini","content":"two files","model":"m"}
                """));
        // the first copy's place, the last copy's content; the functionResponse user message is the call's result again
        assertEquals(List.of("USER", "ASSISTANT", "TOOL", "ASSISTANT"), trace.messages().stream().map(message -> message.role().name()).toList());
        assertEquals("a b", trace.toolCalls().getFirst().resultText());
        assertEquals(1L, trace.sourceMeta().get("repeated_message_copies"));
        assertEquals(1L, trace.sourceMeta().get("tool_response_user_messages"));
        assertEquals(1, trace.tokenUsage().size());
        TokenUsage usage = trace.tokenUsage().getFirst();
        // input 120 holds 20 cached; 3 tool-use prompt tokens are input too; 4 thoughts come on top of the 6 output
        assertEquals(List.of(103L, 20L, 10L, 4L), List.of(usage.inputTokens(), usage.cacheReadInputTokens(), usage.outputTokens(), usage.reasoningOutputTokens()));
    }

    @Test
    void aRewindCutsTheTailToABranchAndKeepsItsUsage()
            throws IOException
    {
        Trace trace = single(write("chats/session-b.jsonl", META + """
                {"id":"u1","timestamp":"2026-05-01T00:00:01Z","type":"user","content":"first"}
                {"id":"g1","timestamp":"2026-05-01T00:00:02Z","type":"gemini","content":"one","tokens":{"input":10,"output":1,"cached":0,"thoughts":0,"tool":0,"total":11},"model":"m"}
                {"id":"u2","timestamp":"2026-05-01T00:00:03Z","type":"user","content":"second"}
                {"id":"g2","timestamp":"2026-05-01T00:00:04Z","type":"gemini","content":"two","tokens":{"input":20,"output":2,"cached":0,"thoughts":0,"tool":0,"total":22},"model":"m"}
                {"$rewindTo":"u2"}
                {"id":"u3","timestamp":"2026-05-01T00:00:05Z","type":"user","content":"again"}
                {"id":"g3","timestamp":"2026-05-01T00:00:06Z","type":"gemini","content":"three","model":"m"}
                {"$rewindTo":"nope"}
                {"id":"u4","timestamp":"2026-05-01T00:00:07Z","type":"user","content":"fresh"}
                """));
        // u2/g2 left on the first rewind; an unknown id removes everything still there (u1, g1, u3, g3)
        assertEquals(List.of("u1:2", "g1:2", "u2:1", "g2:1", "u3:2", "g3:2", "u4:0"),
                trace.messages().stream().map(message -> message.lineUuid() + ":" + message.branch()).toList());
        assertEquals(List.of(10L, 20L), trace.tokenUsage().stream().map(TokenUsage::inputTokens).toList());
        assertEquals(2L, trace.sourceMeta().get("removed_message_groups"));
    }

    @Test
    void aReplacedListKeepsTheIdsItListsAgain()
            throws IOException
    {
        Trace trace = single(write("chats/session-c.jsonl", META + """
                {"id":"u1","timestamp":"2026-05-01T00:00:01Z","type":"user","content":"long history"}
                {"id":"g1","timestamp":"2026-05-01T00:00:02Z","type":"gemini","content":"ok","tokens":{"input":10,"output":1,"cached":0,"thoughts":0,"tool":0,"total":11},"model":"m"}
                {"id":"u2","timestamp":"2026-05-01T00:00:03Z","type":"user","content":"more"}
                {"$set":{"messages":[{"id":"sum","timestamp":"2026-05-01T00:00:04Z","type":"user","content":"summary of u1 and g1"},{"id":"u2","timestamp":"2026-05-01T00:00:03Z","type":"user","content":"more"}],"lastUpdated":"2026-05-01T00:00:09Z"}}
                {"id":"g2","timestamp":"2026-05-01T00:00:05Z","type":"gemini","content":"done","model":"m"}
                """));
        assertEquals(List.of("u1:1", "g1:1", "u2:0", "sum:0", "g2:0"),
                trace.messages().stream().map(message -> message.lineUuid() + ":" + message.branch()).toList());
        assertEquals(1, trace.tokenUsage().size());
        assertEquals(1L, trace.sourceMeta().get("message_list_replacements"));
        assertEquals("2026-05-01T00:00:09Z", trace.endedAt().toString());
    }

    @Test
    void aBrokenLineIsAnIssueAndTheRestLoads()
            throws IOException
    {
        ParsedFile parsed = parse(write("chats/session-d.jsonl", META + """
                {"id":"u1","timestamp":"2026-05-01T00:00:01Z","type":"user","content":"hi"}
                {"id":"g1", broken
                {"what":"else"}
                {"id":"g2","timestamp":"2026-05-01T00:00:04Z","type":"gemini","content":"hello","tokens":{"input":"x"}}
                """));
        assertEquals(List.of(3L, 4L, 5L), parsed.issues().stream().map(issue -> issue.lineNumber()).toList());
        assertEquals(JsonLines.INVALID_JSON, parsed.issues().getFirst().errorClass());
        Trace trace = parsed.traces().getFirst();
        assertEquals(2, trace.messages().size());
        assertEquals(List.of(), trace.tokenUsage());
    }

    @Test
    void aFailedToolCallIsAnError()
            throws IOException
    {
        Trace trace = single(write("chats/session-e.json", """
                {"sessionId":"s5","projectHash":"h","startTime":"2026-05-01T00:00:00Z","lastUpdated":"2026-05-01T00:00:02Z","messages":[
                  {"id":"g1","timestamp":"2026-05-01T00:00:01Z","type":"gemini","content":[{"text":"thinking aloud","thought":true},{"text":"reading"}],
                   "toolCalls":[{"id":"t1","name":"read_file","args":{"path":"x"},"status":"error","result":[{"functionResponse":{"id":"t1","name":"read_file","response":{"error":"no such file"}}}]}]}
                ]}
                """));
        assertEquals(true, trace.toolCalls().getFirst().isError());
        assertEquals("no such file", trace.toolCalls().getFirst().resultText());
        Message answer = trace.messages().getFirst();
        assertEquals("thinking aloud", answer.reasoningContent());
        assertEquals("reading", answer.content().getFirst().text());
    }

    @Test
    void subAgentProjectPathAndDiscovery()
            throws IOException
    {
        Path project = home.resolve(".gemini/tmp/my-app");
        Files.createDirectories(project);
        Files.writeString(home.resolve(".gemini/projects.json"), "{\"projects\":{\"/home/u/my-app\":\"my-app\"}}");
        Path main = write(".gemini/tmp/my-app/chats/session-2026-05-01T00-00-s1.jsonl", META);
        write(".gemini/tmp/my-app/chats/session-2026-05-01T00-00-s1.json", "{\"sessionId\":\"s1\",\"projectHash\":\"h\",\"messages\":[]}");
        Path child = write(".gemini/tmp/my-app/chats/s1/sub-1.jsonl", """
                {"sessionId":"sub-1","projectHash":"h","startTime":"2026-05-01T00:00:01Z","lastUpdated":"2026-05-01T00:00:02Z","kind":"subagent"}
                """);
        write(".gemini/tmp/my-app/logs.json", "[]");
        write(".gemini/tmp/my-app/checkpoint-tag.json", "{\"history\":[]}");
        write(".gemini/tmp/my-app/checkpoints/1-file-edit.json", "{\"history\":[]}");
        write(".gemini/tmp/my-app/logs/session-s1.jsonl", "{}");

        Path root = format.defaultRoots(new Environment(home, Map.of())).getFirst();
        assertEquals(home.resolve(".gemini/tmp"), root);
        assertEquals(home.resolve("other/.gemini/tmp"), format.defaultRoots(new Environment(home, Map.of("GEMINI_CLI_HOME", home.resolve("other").toString()))).getFirst());
        // the legacy .json of a resumed session gives way to its .jsonl; logs, the activity log and checkpoints are no sessions
        assertEquals(List.of(child, main), format.discover(root));

        Trace mainTrace = single(main);
        assertEquals("/home/u/my-app", mainTrace.projectPath());
        assertFalse(mainTrace.isSidechain());
        Trace subAgent = single(child);
        assertEquals("s1:sub-1", subAgent.traceId());
        assertEquals("s1", subAgent.rootSessionId());
        assertEquals("sub-1", subAgent.agentId());
        assertTrue(subAgent.isSidechain());
        assertEquals("/home/u/my-app", subAgent.projectPath());

        // the hash era: the folder is the project path's SHA-256, found by hashing the registry's paths
        Files.writeString(home.resolve(".gemini/projects.json"), "{\"projects\":{\"/a\":\"a\"}}");
        Path hashed = write(".gemini/tmp/" + sha256("/a") + "/chats/session-x.jsonl",
                "{\"sessionId\":\"s9\",\"projectHash\":\"" + sha256("/a") + "\",\"startTime\":\"2026-05-01T00:00:00Z\"}\n");
        assertEquals("/a", single(hashed).projectPath());
        assertNull(single(write("elsewhere/session.jsonl", META)).projectPath());
    }

    @Test
    void recognizesItsMetadataNotOtherJson()
            throws IOException
    {
        assertTrue(format.recognizes(Path.of("x.jsonl"), head(META)));
        assertTrue(format.recognizes(Path.of("x.json"), head("{\n  \"sessionId\": \"s\",\n  \"projectHash\": \"h\",\n  \"messages\": []\n}\n")));
        assertFalse(format.recognizes(Path.of("x.jsonl"), head("{\"type\":\"session\",\"id\":\"p\",\"version\":3}\n")));
        assertFalse(format.recognizes(Path.of("x.json"), head("{\n  \"schema_version\": \"ATIF-v1.6\",\n  \"session_id\": \"s\"\n}\n")));
        assertFalse(format.appendOnly());
    }

    private FileHead head(String text)
            throws IOException
    {
        Path file = Files.writeString(Files.createTempFile(home, "head", ".json"), text);
        return FileHead.read(file, JsonLines.newMapper());
    }

    private static String sha256(String text)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path write(String relative, String text)
            throws IOException
    {
        Path file = home.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private Trace single(Path file)
            throws IOException
    {
        ParsedFile parsed = parse(file);
        assertEquals(List.of(), parsed.issues());
        assertEquals(1, parsed.traces().size());
        return parsed.traces().getFirst();
    }

    private ParsedFile parse(Path file)
            throws IOException
    {
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
    }
}
