package dev.tracewh.format.hermes;

import dev.tracewh.format.Environment;
import dev.tracewh.format.FileHead;
import dev.tracewh.format.JsonLines;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written Hermes files for the rules the three fixtures do not exercise, and a real SQLite store. */
class HermesFormatTest
{
    private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    private final HermesFormat format = new HermesFormat(ZONE);

    @TempDir
    Path home;

    @Test
    void defaultRootIsHermesHomeElseDotHermes()
    {
        assertEquals(List.of(Path.of("/h/.hermes")), format.defaultRoots(Environment.of(Map.of(), "/h")));
        assertEquals(List.of(Path.of("/elsewhere")), format.defaultRoots(Environment.of(Map.of("HERMES_HOME", "/elsewhere"), "/h")));
        assertFalse(format.appendOnly());
        assertTrue(format.keepsDroppedSessions());
    }

    @Test
    void gatewayTranscriptSkipsSessionMetaReadsNaiveTimesMirrorsAndTerminalResults()
            throws IOException
    {
        Path sessions = Files.createDirectories(home.resolve("sessions"));
        Path transcript = Files.writeString(sessions.resolve("g1.jsonl"), """
                {"role":"session_meta","model":"hermes-4","platform":"telegram","tools":[{"type":"function","function":{"name":"terminal"}}],"timestamp":"2026-05-01T09:00:00"}
                {"role":"user","content":"run ls","timestamp":"2026-05-01T09:00:01"}
                {"role":"assistant","content":"","tool_calls":[{"call_id":"c1","type":"function","function":{"name":"terminal","arguments":"{\\"command\\":\\"ls\\"}"}}],"finish_reason":"tool_calls","timestamp":"2026-05-01T09:00:01"}
                {"role":"tool","tool_call_id":"c1","content":"{\\"output\\": \\"ls: cannot access\\", \\"exit_code\\": 2, \\"error\\": null}","timestamp":"2026-05-01T09:00:01"}
                {"role":"assistant","content":"It failed.","finish_reason":"stop","timestamp":"2026-05-01T09:00:01"}
                {"role":"assistant","content":"Reminder from Slack","mirror":true,"mirror_source":"slack","timestamp":"2026-05-01T09:05:00"}
                {"role":"developer","content":"a late instruction","timestamp":"2026-05-01T09:04:00"}
                """);
        Trace trace = parse(transcript).traces().getFirst();
        assertEquals("g1", trace.traceId());
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT, Role.ASSISTANT, Role.SYSTEM), trace.messages().stream().map(Message::role).toList(),
                "developer is system");
        assertEquals(List.of(new ToolCall("c1", 1, 0, "terminal", "{\"command\":\"ls\"}", Instant.parse("2026-05-01T00:00:01Z"), 2, "ls: cannot access",
                true, 2L, null)), trace.toolCalls(), "call_id for id, the terminal JSON's output and exit code");
        assertEquals("ls: cannot access", trace.messages().get(2).text());
        // the mirror is not model output: meta, and the final answer is the one before it
        assertTrue(trace.messages().get(4).isMeta());
        assertTrue(trace.messages().get(4).isSynthetic());
        assertEquals("It failed.", trace.finalAssistantMessage());
        assertEquals(1L, trace.sourceMeta().get("mirror_rows"));
        // naive local times, read in the zone given (Tokyo, UTC+9)
        assertEquals(Instant.parse("2026-05-01T00:00:01Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-05-01T00:05:00Z"), trace.endedAt());
        assertEquals("Asia/Tokyo", trace.sourceMeta().get("naive_timestamps_zone"));
        assertEquals("hermes-4", trace.messages().get(1).model(), "the model of the session_meta row");
        assertEquals("telegram", trace.sourceMeta().get("platform"));
        assertEquals(List.of("terminal"), trace.sourceMeta().get("available_tool_names"));
        assertEquals(List.of("tool_calls", "stop"), trace.sourceMeta().get("finish_reasons"));
        assertEquals("gateway_transcript", trace.sourceMeta().get("session_format"));
        assertEquals(7, trace.sourceMeta().get("record_count"));
    }

    @Test
    void transcriptIsEnrichedFromItsSnapshotAndTakesTokenTotalsFromTheIndexWithoutPersonalData()
            throws IOException
    {
        Path sessions = Files.createDirectories(home.resolve("sessions"));
        Files.writeString(sessions.resolve("session_g2.json"), """
                {"session_id": "g2", "model": "hermes-4", "base_url": "https://api.example/v1", "platform": "discord",
                 "system_prompt": "You are Hermes.", "tools": [{"type": "function", "function": {"name": "web_search"}}], "messages": []}
                """);
        Files.writeString(sessions.resolve("sessions.json"), """
                {"agent:main:discord:dm:998877": {"session_key": "agent:main:discord:dm:998877", "session_id": "g2",
                  "created_at": "2026-05-02T10:00:00", "updated_at": "2026-05-02T10:30:00", "display_name": "Jane Doe",
                  "platform": "discord", "chat_type": "dm", "input_tokens": 1200, "output_tokens": 300, "cache_read_tokens": 5000,
                  "cache_write_tokens": 40, "total_tokens": 6540, "estimated_cost_usd": 0.012, "cost_status": "estimated",
                  "origin": {"platform": "discord", "chat_id": "998877", "user_id": "u-1", "user_name": "jane"}},
                 "slack:thread-1": "other-session"}
                """);
        Path transcript = Files.writeString(sessions.resolve("g2.jsonl"), """
                {"role":"user","content":"hi"}
                {"role":"assistant","content":"hello"}
                """);
        Trace trace = parse(transcript).traces().getFirst();
        assertEquals(List.of(Role.SYSTEM, Role.USER, Role.ASSISTANT), trace.messages().stream().map(Message::role).toList());
        assertEquals("You are Hermes.", trace.messages().getFirst().text());
        assertEquals("https://api.example/v1", trace.sourceMeta().get("base_url"));
        assertEquals(List.of("web_search"), trace.sourceMeta().get("available_tool_names"));
        assertEquals("hermes-4", trace.messages().get(2).model());
        // no times in the lines: the index's, read as Tokyo time
        assertEquals(Instant.parse("2026-05-02T01:00:00Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-05-02T01:30:00Z"), trace.endedAt());
        assertEquals(List.of(new TokenUsage("hermes-session-total:g2", "", null, "hermes-4", Instant.parse("2026-05-02T01:30:00Z"), 1200, 40, 0, 5000, 300, 0)),
                trace.tokenUsage());
        assertEquals("dm", trace.sourceMeta().get("chat_type"));
        String everything = trace.toString();
        for (String personal : List.of("998877", "Jane Doe", "jane", "u-1", "agent:main")) {
            assertFalse(everything.contains(personal), personal);
        }
    }

    @Test
    void aBrokenTranscriptLineOrMessageIsAnIssueNamingItsLineAndTheRestLoads()
            throws IOException
    {
        Path transcript = Files.writeString(Files.createDirectories(home.resolve("sessions")).resolve("g3.jsonl"), """
                {"role":"user","content":"one"}
                {"role":"user","content":
                {"role":"narrator","content":"?"}
                {"role":"assistant","content":"two","tool_calls":[{"type":"function","function":{"name":"x"}}]}
                {"role":"tool","content":"orphan"}
                """);
        ParsedFile parsed = parse(transcript);
        assertEquals(List.of(2L, 3L, 4L), parsed.issues().stream().map(ParseIssue::lineNumber).toList());
        assertEquals(List.of(JsonLines.INVALID_JSON, MessageReader.UNSUPPORTED_ROLE, MessageReader.INVALID_TOOL_CALL),
                parsed.issues().stream().map(ParseIssue::errorClass).toList());
        Trace trace = parsed.traces().getFirst();
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL), trace.messages().stream().map(Message::role).toList());
        assertEquals(0, trace.toolCallCount());
        assertEquals(1L, trace.sourceMeta().get("tool_results_without_call_id"));
    }

    @Test
    void aCompressedSnapshotIsTheContinuationRootedAtTheFilesSession()
            throws IOException
    {
        Path snapshot = Files.writeString(Files.createDirectories(home.resolve("sessions")).resolve("session_20260501_090000_abcdef.json"), """
                {"session_id": "20260501_093000_123456", "session_start": "2026-05-01T09:00:00", "messages": [
                  {"role": "system", "content": "[CONTEXT SUMMARY] earlier work"},
                  {"role": "user", "content": "go on"}
                ]}
                """);
        Trace trace = parse(snapshot).traces().getFirst();
        assertEquals("20260501_093000_123456", trace.traceId());
        assertEquals("20260501_090000_abcdef", trace.rootSessionId());
        assertEquals("20260501_090000_abcdef", trace.sourceMeta().get("snapshot_file_session_id"));
        assertEquals("compression", trace.sourceMeta().get("lineage"));
        assertEquals(Role.SYSTEM, trace.messages().getFirst().role(), "an injected system message stays where it was");
    }

    @Test
    void aBrokenSnapshotIsAnIssueOnItsLineAndABadMessageCostsOnlyItself()
            throws IOException
    {
        Path sessions = Files.createDirectories(home.resolve("sessions"));
        Path broken = Files.writeString(sessions.resolve("session_b1.json"), "{\n  \"session_id\": \"b1\",\n  \"messages\": [\n    {\"role\": \"user\",\n");
        ParsedFile parsed = parse(broken);
        assertEquals(List.of(), parsed.traces());
        assertEquals(JsonLines.INVALID_JSON, parsed.issues().getFirst().errorClass());
        assertTrue(parsed.issues().getFirst().lineNumber() >= 4, "the line where the document breaks: " + parsed.issues());

        Path badMessage = Files.writeString(sessions.resolve("session_b2.json"), """
                {
                  "session_id": "b2",
                  "messages": [
                    {"role": "user", "content": "hi"},
                    "not a message",
                    {"role": "assistant", "content": {"parts": ["a dict"]}}
                  ]
                }
                """);
        parsed = parse(badMessage);
        assertEquals(List.of(5L), parsed.issues().stream().map(ParseIssue::lineNumber).toList());
        Trace trace = parsed.traces().getFirst();
        assertEquals(2, trace.messageCount());
        assertEquals("{\"parts\":[\"a dict\"]}", trace.finalAssistantMessage(), "a dict content is its JSON text");

        Path noMessages = Files.writeString(sessions.resolve("session_b3.json"), "{\"session_id\": \"b3\"}");
        assertEquals(SnapshotParser.NOT_A_SESSION, parse(noMessages).issues().getFirst().errorClass());
    }

    @Test
    void discoveryPicksOneArtifactPerSessionAndSkipsWhatIsNotASession()
            throws IOException
    {
        Path sessions = Files.createDirectories(home.resolve("sessions"));
        Files.writeString(sessions.resolve("session_a.json"), "{\"session_id\": \"a\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}");
        Files.writeString(sessions.resolve("a.jsonl"), "{\"role\":\"user\",\"content\":\"x\"}\n");
        // a stale snapshot and the longer, current one of session b (same id inside, other file names)
        Files.writeString(sessions.resolve("session_b.json"), "{\"session_id\": \"b\", \"messages\": []}");
        Files.writeString(sessions.resolve("session_b_copy.json"), "{\"session_id\": \"b\", \"messages\": [{\"role\": \"user\", \"content\": \"longer\"}]}");
        Files.writeString(sessions.resolve("sessions.json"), "{}");
        Files.writeString(sessions.resolve("request_dump_a_1.json"), "{}");
        Files.writeString(sessions.resolve("trajectory_samples.jsonl"), "{\"conversations\":[]}\n");
        Path profile = Files.createDirectories(home.resolve("profiles/coder/sessions"));
        Files.writeString(profile.resolve("session_p.json"), "{\"session_id\": \"p\", \"messages\": []}");
        assertEquals(List.of(profile.resolve("session_p.json"), sessions.resolve("a.jsonl"), sessions.resolve("session_b_copy.json")),
                format.discover(home), "a profile is a home of its own");
        assertEquals(List.of(sessions.resolve("a.jsonl"), sessions.resolve("session_b_copy.json")), format.discover(sessions), "a sessions folder itself");
        Path other = Files.createDirectories(home.resolve("elsewhere"));
        Files.writeString(other.resolve("history.jsonl"), "{\"session_id\":\"x\",\"ts\":1,\"text\":\"another agent's\"}\n");
        Files.writeString(other.resolve("h1.jsonl"), "{\"role\":\"user\",\"content\":\"x\"}\n");
        assertEquals(List.of(other.resolve("h1.jsonl")), format.discover(other), "outside a Hermes folder, only Hermes content");
        assertTrue(format.supersedes(sessions.resolve("a.jsonl"), sessions.resolve("session_a.json")));
        assertFalse(format.supersedes(sessions.resolve("session_a.json"), sessions.resolve("a.jsonl")));
        assertTrue(format.supersedes(home.resolve("state.db"), sessions.resolve("a.jsonl")));
        assertFalse(format.supersedes(home.resolve("state.db"), profile.resolve("session_p.json")), "another home's file");
        assertEquals(List.of(sessions.resolve("session_a.json"), sessions.resolve("sessions.json")), format.companions(sessions.resolve("a.jsonl")));
    }

    @Test
    void withAStoreOnlyTheFilesOfSessionsItLacksAreRead()
            throws IOException, SQLException
    {
        Path sessions = Files.createDirectories(home.resolve("sessions"));
        Files.writeString(sessions.resolve("session_in_db.json"), "{\"session_id\": \"in_db\", \"messages\": []}");
        Files.writeString(sessions.resolve("only_file.jsonl"), "{\"role\":\"user\",\"content\":\"x\"}\n");
        try (HermesStore store = HermesStore.create(home.resolve("state.db"), false)) {
            store.session("in_db", "cli", null, null, 1_777_000_000.0, null, null);
        }
        assertEquals(List.of(sessions.resolve("only_file.jsonl"), home.resolve("state.db")), format.discover(home));
        assertEquals(List.of(home.resolve("state.db-wal")), format.companions(home.resolve("state.db")));
        FileHead head = FileHead.read(home.resolve("state.db"), JsonLines.newMapper());
        assertTrue(format.recognizes(home.resolve("state.db"), head));
    }

    @Test
    void theStoreGivesLineageRewindsSummariesHiddenRowsPromptsAndPerModelUsage()
            throws IOException, SQLException
    {
        Path db = home.resolve("state.db");
        try (HermesStore store = HermesStore.create(db, true)) {
            store.execute("INSERT INTO system_prompts VALUES ('h1', 'You are Hermes (stored by hash).')")
                    .session("root", "cli", null, "{\"cwd\": \"/work\"}", 1_777_000_000.5, 1_777_000_100.0, "compression")
                    .execute("UPDATE sessions SET system_prompt_hash = 'h1', title = 'Fix the build', git_branch = 'main', input_tokens = 9, output_tokens = 9 WHERE id = 'root'")
                    .session("cont", "cli", "root", "{\"cwd\": \"/work\"}", 1_777_000_100.0, null, null)
                    .session("sub", "cli", "cont", "{\"_delegate_from\": \"cont\"}", 1_777_000_150.0, 1_777_000_160.0, "agent_close")
                    .session("branch", "cli", "root", "{\"_branched_from\": \"root\"}", 1_777_000_200.0, null, null)
                    .session("legacy", "cli", null, null, 1_777_000_300.0, 1_777_000_301.0, null)
                    .execute("UPDATE sessions SET system_prompt = 'legacy inline prompt', input_tokens = 100, output_tokens = 20, cache_read_tokens = 7, "
                            + "cache_write_tokens = 3, reasoning_tokens = 5, model = 'model-old' WHERE id = 'legacy'")
                    .message("root", "user", "build it", 1_777_000_001.0)
                    .execute("INSERT INTO messages (session_id, role, content, tool_calls, timestamp, finish_reason, reasoning) VALUES ('root', 'assistant', '', "
                            + "'[{\"id\": \"t1\", \"type\": \"function\", \"function\": {\"name\": \"terminal\", \"arguments\": \"{\\\"command\\\": \\\"make\\\"}\"}}]', "
                            + "1777000002.25, 'tool_calls', 'try make')")
                    .execute("INSERT INTO messages (session_id, role, content, tool_call_id, tool_name, timestamp) VALUES ('root', 'tool', "
                            + "'{\"output\": \"ok\", \"exit_code\": 0, \"error\": null}', 't1', 'terminal', 1777000003.0)")
                    .execute("INSERT INTO messages (session_id, role, content, timestamp, active) VALUES ('root', 'assistant', 'rewound answer', 1777000004.0, 0)")
                    .execute("INSERT INTO messages (session_id, role, content, api_content, timestamp) VALUES ('root', 'assistant', 'shown', 'sent to the model', 1777000005.0)")
                    .execute("INSERT INTO messages (session_id, role, content, timestamp, _compressed_summary) VALUES ('cont', 'user', "
                            + "'[CONTEXT COMPACTION] summary of root', 1777000100.0, 1)")
                    .execute("INSERT INTO messages (session_id, role, content, timestamp, display_kind) VALUES ('cont', 'user', 'scaffolding', 1777000101.0, 'hidden')")
                    .message("cont", "assistant", "continued", 1_777_000_102.0)
                    .message("sub", "user", "subtask", 1_777_000_151.0)
                    .message("branch", "user", "other idea", 1_777_000_201.0)
                    .message("legacy", "user", "old", 1_777_000_300.5)
                    .execute("INSERT INTO messages (session_id, role, content, tool_calls, timestamp) VALUES ('legacy', 'assistant', 'x', 'not json', 1777000300.7)")
                    .execute("INSERT INTO session_model_usage (session_id, model, billing_provider, input_tokens, output_tokens, cache_read_tokens, "
                            + "cache_write_tokens, reasoning_tokens, last_seen) VALUES ('root', 'model-a', 'openrouter', 1000, 200, 3000, 50, 80, 1777000090.0)")
                    .execute("INSERT INTO session_model_usage (session_id, model, task, input_tokens, output_tokens, last_seen) "
                            + "VALUES ('root', 'model-b', 'compression', 400, 60, 1777000099.0)");
            assertFalse(Files.size(home.resolve("state.db-wal")) == 0, "the commits are in the -wal");
            ParsedFile parsed = parse(db);
            Map<String, Trace> traces = parsed.traces().stream().collect(Collectors.toMap(Trace::traceId, Function.identity()));
            assertEquals(List.of("root", "cont", "sub", "branch", "legacy"), parsed.traces().stream().map(Trace::traceId).toList());

            Trace root = traces.get("root");
            assertEquals(List.of(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT, Role.ASSISTANT),
                    root.messages().stream().map(Message::role).toList());
            assertEquals("You are Hermes (stored by hash).", root.messages().getFirst().text());
            assertEquals(List.of(0, 0, 0, 0, 1, 0), root.messages().stream().map(Message::branch).toList(), "the rewound answer is kept off the active path");
            assertEquals(5, root.activePathMessageCount());
            assertEquals("sent to the model", root.finalAssistantMessage());
            assertEquals(Instant.parse("2026-04-24T03:06:42.250Z"), root.messages().get(2).createdAt(), "REAL epoch seconds");
            assertEquals("try make", root.messages().get(2).reasoningContent());
            assertEquals(List.of(new ToolCall("t1", 2, 0, "terminal", "{\"command\": \"make\"}", Instant.parse("2026-04-24T03:06:42.250Z"), 3, "ok", false, 0L, null)),
                    root.toolCalls());
            assertEquals(Instant.parse("2026-04-24T03:06:40.500Z"), root.startedAt());
            assertEquals(Instant.parse("2026-04-24T03:08:20Z"), root.endedAt());
            assertEquals("Fix the build", root.title());
            assertEquals("/work", root.cwd());
            assertEquals("main", root.gitBranch());
            assertEquals("root", root.rootSessionId());
            assertNull(root.sourceMeta().get("lineage"));
            assertEquals("compression", root.sourceMeta().get("end_reason"));
            assertEquals(List.of(
                    new TokenUsage("hermes-usage:root|model-a|openrouter|||", "", null, "model-a", Instant.parse("2026-04-24T03:08:10Z"), 1000, 50, 0, 3000, 200, 80),
                    new TokenUsage("hermes-usage:root|model-b||||compression", "", null, "model-b", Instant.parse("2026-04-24T03:08:19Z"), 400, 0, 0, 0, 60, 0)),
                    root.tokenUsage().stream().sorted(java.util.Comparator.comparing(TokenUsage::responseId)).toList(),
                    "per-model rows, not the session's own totals");

            Trace cont = traces.get("cont");
            assertEquals("root", cont.rootSessionId(), "a compression continuation shares its root");
            assertFalse(cont.isSidechain());
            assertEquals("compression", cont.sourceMeta().get("lineage"));
            assertEquals("root", cont.sourceMeta().get("parent_session_id"));
            assertTrue(cont.messages().getFirst().isCompactSummary());
            assertTrue(cont.messages().get(1).isMeta(), "display_kind hidden");
            assertFalse(cont.messages().get(2).isMeta());

            Trace sub = traces.get("sub");
            assertTrue(sub.isSidechain());
            assertEquals("sub", sub.agentId());
            assertEquals("root", sub.rootSessionId(), "a sub-agent's root is its parent's root");
            assertEquals("delegate", sub.sourceMeta().get("lineage"));

            Trace branch = traces.get("branch");
            assertEquals("branch", branch.rootSessionId(), "a branch is a session of its own");
            assertEquals("branch", branch.sourceMeta().get("lineage"));
            assertEquals("root", branch.sourceMeta().get("parent_session_id"));
            assertFalse(branch.isSidechain());

            Trace legacy = traces.get("legacy");
            assertEquals("legacy inline prompt", legacy.messages().getFirst().text());
            assertEquals(List.of(new TokenUsage("hermes-session-total:legacy", "", null, "model-old", Instant.parse("2026-04-24T03:11:41Z"), 100, 3, 0, 7, 20, 5)),
                    legacy.tokenUsage(), "without per-model rows, the session's totals");
            // the row whose tool_calls are not JSON is an issue naming it; the message is kept
            assertEquals(1, parsed.issues().size());
            assertEquals(StateDb.INVALID_ROW, parsed.issues().getFirst().errorClass());
            assertEquals(12, parsed.issues().getFirst().lineNumber(), "the message row id (the 12th row inserted)");
            assertEquals(3, legacy.messageCount());

            String everything = parsed.traces().toString();
            for (String personal : List.of("user-4711", "4711", "Jane Doe", "agent:main")) {
                assertFalse(everything.contains(personal), personal);
            }
        }
    }

    @Test
    void aClosedWalStoreAndAStoreWithoutUsageTablesAreRead()
            throws IOException, SQLException
    {
        Path db = home.resolve("state.db");
        try (HermesStore store = HermesStore.create(db, true)) {
            store.session("s", "telegram", null, null, 1_777_000_000.0, null, null).message("s", "user", "hi", 1_777_000_001.0)
                    .execute("DROP TABLE session_model_usage");
        }
        assertFalse(Files.exists(home.resolve("state.db-wal")), "the last close checkpoints and removes the -wal");
        Path notHermes = home.resolve("other.db");
        try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + notHermes)) {
            other.createStatement().execute("CREATE TABLE notes (text TEXT)");
        }
        assertEquals(List.of(StateDb.UNREADABLE_STORE), parse(notHermes).issues().stream().map(ParseIssue::errorClass).toList(), "another SQLite file");
        FileTime modified = Files.getLastModifiedTime(db);
        ParsedFile parsed = parse(db);
        assertEquals(List.of(), parsed.issues());
        assertEquals(1, parsed.traces().getFirst().messageCount());
        assertEquals("telegram", parsed.traces().getFirst().sourceMeta().get("platform"));
        assertEquals(modified, Files.getLastModifiedTime(db), "reading never writes the store");
    }

    @Test
    void anAgentLikeWriterCommitsWhileTheStoreIsReadInWalAndRollbackJournalModes()
            throws Exception
    {
        for (boolean wal : List.of(true, false)) {
            Path db = Files.createDirectories(home.resolve(wal ? "wal" : "rollback")).resolve("state.db");
            try (HermesStore store = HermesStore.create(db, wal)) {
                store.connection().setAutoCommit(false);
                for (int session = 0; session < 200; session++) {
                    store.session("s" + session, "cli", null, null, 1_777_000_000.0 + session, null, null);
                    for (int i = 0; i < 100; i++) {
                        store.message("s" + session, "user", "message " + i + " ".repeat(200), 1_777_000_001.0 + i);
                    }
                }
                store.connection().commit();
                store.connection().setAutoCommit(true);
                try (java.sql.Statement statement = store.connection().createStatement()) {
                    // far shorter than a whole read of the store: only short statements let every commit through
                    statement.execute("PRAGMA busy_timeout = 250");
                }
                ExecutorService reader = Executors.newSingleThreadExecutor();
                try {
                    Future<Integer> reads = reader.submit(() -> {
                        int count = 0;
                        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
                        while (System.nanoTime() < until) {
                            ParsedFile parsed = parse(db);
                            assertEquals(List.of(), parsed.issues());
                            count++;
                        }
                        return count;
                    });
                    // every commit of the agent, a few ms apart
                    // as an agent streams a turn's messages, must get through
                    List<Integer> committed = new ArrayList<>();
                    for (int i = 0; !reads.isDone(); i++) {
                        store.message("s" + i % 200, "assistant", "written while read " + i, 1_777_001_000.0 + i);
                        committed.add(i);
                        Thread.sleep(3);
                    }
                    assertTrue(reads.get() > 0);
                    assertTrue(committed.size() > 10, (wal ? "WAL" : "rollback journal") + ": only " + committed.size() + " commits");
                }
                finally {
                    reader.shutdownNow();
                }
            }
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
