package dev.tracewh.format.opencode;

import dev.tracewh.format.Environment;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
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
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static dev.tracewh.format.opencode.OpenCodeConformanceTest.tokens;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules the shared fixtures do not exercise, on databases and JSON trees written by the test. */
class OpenCodeFormatTest
{
    private static final long T0 = 1_790_000_000_000L;

    private final OpenCodeFormat format = new OpenCodeFormat();

    @TempDir
    Path data;

    @Test
    void theDataFolderIsOpencodeDataDirElseXdgDataHomesElseTheHomesLocalShare()
    {
        Path home = Path.of("/home/u");
        assertEquals(List.of(Path.of("/d/oc")), format.defaultRoots(new Environment(home, Map.of("OPENCODE_DATA_DIR", "/d/oc", "XDG_DATA_HOME", "/x"))));
        assertEquals(List.of(Path.of("/x/opencode")), format.defaultRoots(new Environment(home, Map.of("XDG_DATA_HOME", "/x"))));
        assertEquals(List.of(Path.of("/home/u/.local/share/opencode")), format.defaultRoots(new Environment(home, Map.of())));
        assertFalse(format.appendOnly());
        assertTrue(format.keepsDroppedSessions());
        assertEquals(List.of(data.resolve("opencode.db-wal")), format.companions(data.resolve("opencode.db")));
    }

    /** An older OpenCode made one message of several model calls: one assistant message and one usage row per call. */
    @Test
    void aMultiStepMessageIsOneAssistantMessagePerCallWithItsOwnUsage()
            throws IOException, SQLException
    {
        try (OpenCodeStore store = OpenCodeStore.create(data.resolve("opencode.db"))) {
            store.session("ses_a", null, "multi", T0, T0 + 100)
                    .userText("msg_1", "ses_a", T0 + 1, "fix it")
                    // message tokens are the last call's, cost the sum of both
                    .message("msg_2", "ses_a", T0 + 2, "{\"role\":\"assistant\",\"modelID\":\"claude-x\",\"providerID\":\"anthropic\",\"cost\":0.5,"
                            + "\"tokens\":{\"input\":7,\"output\":9,\"reasoning\":0,\"cache\":{\"read\":300,\"write\":0}},\"time\":{\"created\":" + (T0 + 2) + "}}")
                    .part("prt_1", "msg_2", "ses_a", T0 + 3, "{\"type\":\"step-start\"}")
                    .part("prt_2", "msg_2", "ses_a", T0 + 4, "{\"type\":\"reasoning\",\"text\":\"look first\"}")
                    .part("prt_3", "msg_2", "ses_a", T0 + 5, "{\"type\":\"tool\",\"tool\":\"read\",\"callID\":\"c1\",\"state\":{\"status\":\"completed\","
                            + "\"input\":{\"path\":\"a.txt\"},\"output\":\"hello\",\"time\":{\"start\":" + (T0 + 5) + ",\"end\":" + (T0 + 1005) + "}}}")
                    .part("prt_4", "msg_2", "ses_a", T0 + 6, "{\"type\":\"step-finish\",\"reason\":\"tool-calls\",\"cost\":0.25,"
                            + "\"tokens\":{\"total\":1130,\"input\":100,\"output\":20,\"reasoning\":10,\"cache\":{\"read\":0,\"write\":1000}}}")
                    .part("prt_5", "msg_2", "ses_a", T0 + 7, "{\"type\":\"step-start\"}")
                    .part("prt_6", "msg_2", "ses_a", T0 + 8, "{\"type\":\"text\",\"text\":\"fixed\"}")
                    .part("prt_7", "msg_2", "ses_a", T0 + 9, "{\"type\":\"step-finish\",\"reason\":\"stop\",\"cost\":0.25,"
                            + "\"tokens\":{\"total\":316,\"input\":7,\"output\":9,\"reasoning\":0,\"cache\":{\"read\":300,\"write\":0}}}");
            Trace trace = parse(data.resolve("opencode.db"), ReadOptions.DEFAULT).traces().getFirst();

            assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT), trace.messages().stream().map(message -> message.role()).toList());
            assertEquals("look first", trace.messages().get(1).reasoningContent());
            assertEquals("fixed", trace.messages().get(3).text());
            assertEquals(List.of(new ToolCall("c1", 1, 0, "read", "{\"path\":\"a.txt\"}", SessionBuilder.millis(T0 + 5), 2, "hello", false, null, 1.0)),
                    trace.toolCalls());
            List<TokenUsage> usage = trace.tokenUsage();
            assertEquals(List.of("prt_4", "prt_7"), usage.stream().map(TokenUsage::responseId).toList());
            // output excludes reasoning in OpenCode: 20 + 10 in the warehouse's convention
            assertEquals(List.of(100L, 1000L, 0L, 30L, 10L), tokens(usage.get(0)));
            assertEquals(List.of(7L, 0L, 300L, 9L, 0L), tokens(usage.get(1)));
            assertEquals(List.of(1, 3), usage.stream().map(TokenUsage::messageOrdinal).toList());
            assertEquals(List.of("claude-x", "claude-x"), usage.stream().map(TokenUsage::model).toList());
            assertEquals(SessionBuilder.millis(T0 + 6), usage.get(0).createdAt());
            assertEquals(new BigDecimal("0.50"), trace.sourceMeta().get("cost_usd"));
            assertEquals("/work/app", trace.projectPath());
        }
    }

    @Test
    void withoutAStepFinishPartTheMessageTokensAreTheUsageAndAnOldBuildsReasoningInsideOutputIsNotAddedAgain()
            throws IOException, SQLException
    {
        try (OpenCodeStore store = OpenCodeStore.create(data.resolve("opencode.db"))) {
            store.session("ses_a", null, "old", T0, T0 + 100)
                    .userText("msg_1", "ses_a", T0 + 1, "hi")
                    .message("msg_2", "ses_a", T0 + 2, "{\"role\":\"assistant\",\"modelID\":\"o3\",\"cost\":0.01,"
                            + "\"tokens\":{\"total\":150,\"input\":100,\"output\":50,\"reasoning\":40,\"cache\":{\"read\":0,\"write\":0}}}")
                    .part("prt_1", "msg_2", "ses_a", T0 + 3, "{\"type\":\"text\",\"text\":\"hello\"}");
            Trace trace = parse(data.resolve("opencode.db"), ReadOptions.DEFAULT).traces().getFirst();

            TokenUsage usage = trace.tokenUsage().getFirst();
            assertEquals("msg_2", usage.responseId());
            assertEquals(List.of(100L, 0L, 0L, 50L, 40L), tokens(usage), "total 150 = input + output: the 40 are inside the 50");
            assertEquals(1, usage.messageOrdinal());
            assertEquals(new BigDecimal("0.01"), trace.sourceMeta().get("cost_usd"));
        }
    }

    @Test
    void aChildSessionIsASidechainOfItsRootLinkedToTheTaskCallThatMadeIt()
            throws IOException, SQLException
    {
        try (OpenCodeStore store = OpenCodeStore.create(data.resolve("opencode.db"))) {
            store.session("ses_root", null, "root", T0, T0 + 100)
                    .userText("msg_1", "ses_root", T0 + 1, "explore")
                    .message("msg_2", "ses_root", T0 + 2, "{\"role\":\"assistant\",\"modelID\":\"m\"}")
                    .part("prt_1", "msg_2", "ses_root", T0 + 3, "{\"type\":\"tool\",\"tool\":\"task\",\"callID\":\"call_task\",\"state\":{\"status\":\"completed\","
                            + "\"input\":{\"prompt\":\"look\"},\"output\":\"task_id: ses_child\\n<task_result>seen</task_result>\","
                            + "\"metadata\":{\"sessionId\":\"ses_child\"}}}")
                    .session("ses_child", "ses_root", "look (@explore subagent)", T0 + 3, T0 + 50)
                    .userText("msg_3", "ses_child", T0 + 4, "look")
                    .assistantText("msg_4", "ses_child", T0 + 5, "seen", 10, 2)
                    .session("ses_grandchild", "ses_child", "deeper (@general subagent)", T0 + 6, T0 + 40)
                    .userText("msg_5", "ses_grandchild", T0 + 7, "deeper");
            Map<String, Trace> traces = byId(parse(data.resolve("opencode.db"), ReadOptions.DEFAULT).traces());

            assertEquals(List.of("ses_root", "ses_root:ses_child", "ses_root:ses_grandchild"), List.copyOf(traces.keySet()));
            Trace root = traces.get("ses_root");
            assertFalse(root.isSidechain());
            assertEquals(Map.of("ses_root:ses_child", "call_task"), root.sourceMeta().get("subagent_call_ids"));
            Trace child = traces.get("ses_root:ses_child");
            assertEquals("ses_root", child.rootSessionId());
            assertEquals("ses_child", child.agentId());
            assertTrue(child.isSidechain());
            assertTrue(child.messages().stream().allMatch(message -> message.isSidechain()));
            assertTrue(root.messages().stream().noneMatch(message -> message.isSidechain()));
            assertEquals("ses_root", child.sourceMeta().get("parent_session_id"));
            assertEquals("call_task", child.sourceMeta().get("parent_tool_call_id"));
            assertEquals("seen", child.finalAssistantMessage());
            Trace grandchild = traces.get("ses_root:ses_grandchild");
            assertEquals("ses_root", grandchild.rootSessionId());
            assertEquals("ses_child", grandchild.sourceMeta().get("parent_session_id"));
            assertNull(grandchild.sourceMeta().get("parent_tool_call_id"), "no call names it");
        }
    }

    @Test
    void aToolInErrorAndABashExitOtherThanZeroAreFailuresAndAPendingCallHasNoResult()
            throws IOException, SQLException
    {
        try (OpenCodeStore store = OpenCodeStore.create(data.resolve("opencode.db"))) {
            store.session("ses_a", null, "tools", T0, T0 + 100)
                    .userText("msg_1", "ses_a", T0 + 1, "go")
                    .message("msg_2", "ses_a", T0 + 2, "{\"role\":\"assistant\",\"modelID\":\"m\"}")
                    .part("prt_1", "msg_2", "ses_a", T0 + 3, "{\"type\":\"tool\",\"tool\":\"edit\",\"callID\":\"c1\",\"state\":{\"status\":\"error\","
                            + "\"input\":{\"file\":\"x\"},\"error\":\"file not found\"}}")
                    .part("prt_2", "msg_2", "ses_a", T0 + 4, "{\"type\":\"tool\",\"tool\":\"bash\",\"callID\":\"c2\",\"state\":{\"status\":\"completed\","
                            + "\"input\":{\"command\":\"false\"},\"output\":\"\",\"metadata\":{\"exit\":2}}}")
                    .part("prt_3", "msg_2", "ses_a", T0 + 5, "{\"type\":\"tool\",\"tool\":\"bash\",\"callID\":\"c3\",\"state\":{\"status\":\"running\","
                            + "\"input\":{\"command\":\"sleep 9\"}}}");
            Trace trace = parse(data.resolve("opencode.db"), ReadOptions.DEFAULT).traces().getFirst();

            List<ToolCall> calls = trace.toolCalls();
            assertEquals(List.of("c1", "c2", "c3"), calls.stream().map(ToolCall::toolCallId).toList());
            assertEquals(List.of("file not found", true), List.of(calls.get(0).resultText(), calls.get(0).isError()));
            assertEquals(List.of(true, 2L), List.of(calls.get(1).isError(), calls.get(1).exitCode()));
            assertNull(calls.get(2).resultOrdinal());
            assertEquals(1L, trace.sourceMeta().get("unfinished_tool_calls"));
            assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL), trace.messages().stream().map(message -> message.role()).toList());
        }
    }

    @Test
    void messagesAtAndAfterASetRevertPointAreLeftOut()
            throws IOException, SQLException
    {
        try (OpenCodeStore store = OpenCodeStore.create(data.resolve("opencode.db"))) {
            store.session("ses_a", null, "undo", T0, T0 + 100)
                    .userText("msg_1", "ses_a", T0 + 1, "one")
                    .assistantText("msg_2", "ses_a", T0 + 2, "two", 1, 1)
                    .userText("msg_3", "ses_a", T0 + 3, "three")
                    .assistantText("msg_4", "ses_a", T0 + 4, "four", 1, 1)
                    .execute("UPDATE session SET revert = '{\"messageID\":\"msg_3\",\"snapshot\":\"abc\"}' WHERE id = 'ses_a'");
            Trace trace = parse(data.resolve("opencode.db"), ReadOptions.DEFAULT).traces().getFirst();

            assertEquals(List.of("one", "two"), trace.messages().stream().map(message -> message.text()).toList());
            assertEquals(1, trace.tokenUsage().size(), "the reverted response's usage goes with it");
            assertEquals(2L, trace.sourceMeta().get("reverted_messages"));
            assertEquals("msg_3", trace.sourceMeta().get("revert_message_id"));
        }
    }

    @Test
    void userTextOpenCodeInjectedIsLeftOutUnlessItIsAllTheTurnHasAndACompactionSummaryIsMarked()
            throws IOException, SQLException
    {
        try (OpenCodeStore store = OpenCodeStore.create(data.resolve("opencode.db"))) {
            store.session("ses_a", null, "compact", T0, T0 + 100)
                    .message("msg_1", "ses_a", T0 + 1, "{\"role\":\"user\"}")
                    .part("prt_1", "msg_1", "ses_a", T0 + 1, "{\"type\":\"text\",\"text\":\"read a.png\"}")
                    .part("prt_2", "msg_1", "ses_a", T0 + 1, "{\"type\":\"text\",\"text\":\"Called the Read tool\",\"synthetic\":true}")
                    .part("prt_3", "msg_1", "ses_a", T0 + 1, "{\"type\":\"text\",\"text\":\"hidden\",\"ignored\":true}")
                    .part("prt_4", "msg_1", "ses_a", T0 + 1, "{\"type\":\"file\",\"mime\":\"image/png\",\"url\":\"data:image/png;base64,AAAA\"}")
                    .message("msg_2", "ses_a", T0 + 2, "{\"role\":\"user\"}")
                    .part("prt_5", "msg_2", "ses_a", T0 + 2, "{\"type\":\"compaction\",\"auto\":true}")
                    .message("msg_3", "ses_a", T0 + 3, "{\"role\":\"assistant\",\"mode\":\"compaction\",\"agent\":\"compaction\",\"summary\":true}")
                    .part("prt_6", "msg_3", "ses_a", T0 + 3, "{\"type\":\"text\",\"text\":\"the summary\"}")
                    .message("msg_4", "ses_a", T0 + 4, "{\"role\":\"user\"}")
                    .part("prt_7", "msg_4", "ses_a", T0 + 4, "{\"type\":\"text\",\"text\":\"Continue if you have next steps\",\"synthetic\":true}");
            Trace trace = parse(data.resolve("opencode.db"), ReadOptions.DEFAULT).traces().getFirst();

            assertEquals(4, trace.messageCount());
            assertEquals(List.of("text", "image"), trace.messages().get(0).content().stream().map(block -> block.type()).toList());
            assertEquals("read a.png", trace.messages().get(0).text());
            assertEquals("image/png", trace.messages().get(0).content().get(1).mediaType());
            assertTrue(trace.messages().get(1).isMeta(), "the compaction request");
            assertTrue(trace.messages().get(2).isCompactSummary());
            assertEquals("Continue if you have next steps", trace.messages().get(3).text());
            assertTrue(trace.messages().get(3).isSynthetic());
            assertEquals(1L, trace.sourceMeta().get("synthetic_text_parts_left_out"));
            assertEquals(1L, trace.sourceMeta().get("ignored_text_parts"));
        }
    }

    @Test
    void channelDatabasesAreReadAndASessionInSeveralIsReadFromTheMainOne()
            throws IOException, SQLException
    {
        try (OpenCodeStore main = OpenCodeStore.create(data.resolve("opencode.db"));
                OpenCodeStore beta = OpenCodeStore.create(data.resolve("opencode-beta.db"))) {
            main.session("ses_s", null, "shared", T0, T0 + 10).userText("msg_1", "ses_s", T0 + 1, "main copy");
            beta.session("ses_s", null, "shared", T0, T0 + 10).userText("msg_1", "ses_s", T0 + 1, "beta copy")
                    .session("ses_b", null, "beta only", T0, T0 + 10).userText("msg_2", "ses_b", T0 + 1, "beta");

            assertTrue(Files.exists(data.resolve("opencode.db-wal")));
            assertEquals(List.of(data.resolve("opencode-beta.db"), data.resolve("opencode.db")), format.discover(data), "not their -wal and -shm");
            assertEquals(List.of("ses_s"), parse(data.resolve("opencode.db"), ReadOptions.DEFAULT).traces().stream().map(Trace::traceId).toList());
            assertEquals(List.of("ses_b"), parse(data.resolve("opencode-beta.db"), ReadOptions.DEFAULT).traces().stream().map(Trace::traceId).toList());
            assertEquals("opencode-beta.db", parse(data.resolve("opencode-beta.db"), ReadOptions.DEFAULT).traces().getFirst().sourceMeta().get("database"));
            assertTrue(format.supersedes(data.resolve("opencode.db"), data.resolve("opencode-beta.db")));
            assertFalse(format.supersedes(data.resolve("opencode-beta.db"), data.resolve("opencode.db")));
        }
    }

    @Test
    void aBrokenRowIsAnIssueNamingTheDatabaseAndTheRowAndNothingElseIsLost()
            throws IOException, SQLException
    {
        try (OpenCodeStore store = OpenCodeStore.create(data.resolve("opencode.db"))) {
            store.session("ses_a", null, "broken", T0, T0 + 100)
                    .userText("msg_1", "ses_a", T0 + 1, "one")
                    .assistantText("msg_2", "ses_a", T0 + 2, "two", 5, 5)
                    .part("prt_bad", "msg_2", "ses_a", T0 + 2, "{\"type\":\"text\",\"text\":")
                    .message("msg_3", "ses_a", T0 + 3, "not json at all")
                    .session("ses_b", null, "fine", T0, T0 + 100)
                    .userText("msg_4", "ses_b", T0 + 1, "fine");
            ParsedFile parsed = parse(data.resolve("opencode.db"), ReadOptions.DEFAULT);

            assertEquals(2, parsed.issues().size());
            ParseIssue part = parsed.issues().getFirst();
            assertEquals(JsonLines.INVALID_JSON, part.errorClass());
            assertTrue(part.message().startsWith(data.resolve("opencode.db") + ": session ses_a, part row prt_bad: its data is not JSON"), part.message());
            assertEquals("{\"type\":\"text\",\"text\":", part.excerpt());
            assertTrue(parsed.issues().get(1).message().contains("session ses_a, message row msg_3"), parsed.issues().get(1).message());
            Map<String, Trace> traces = byId(parsed.traces());
            assertEquals(List.of("one", "two"), traces.get("ses_a").messages().stream().map(message -> message.text()).toList());
            assertEquals(1, traces.get("ses_a").tokenUsage().size());
            assertEquals("fine", traces.get("ses_b").messages().getFirst().text());
        }
    }

    @Test
    void withTheLastReadsCursorOnlySessionsUpdatedSinceAreRead()
            throws IOException, SQLException
    {
        long day = 86_400_000L;
        try (OpenCodeStore store = OpenCodeStore.create(data.resolve("opencode.db"))) {
            store.session("ses_old", null, "old", T0, T0 + 10).userText("msg_1", "ses_old", T0 + 1, "old")
                    .session("ses_new", null, "new", T0 + day, T0 + day + 10).userText("msg_2", "ses_new", T0 + day + 1, "new");
            ParsedFile first = parse(data.resolve("opencode.db"), ReadOptions.DEFAULT);
            assertEquals(2, first.traces().size());
            assertEquals(Long.toString(T0 + day + 10), first.cursor());

            ParsedFile unchanged = parse(data.resolve("opencode.db"), ReadOptions.DEFAULT.withResumeCursor(first.cursor()));
            assertEquals(List.of("ses_new"), unchanged.traces().stream().map(Trace::traceId).toList(),
                    "only the session updated within a minute of the cursor is read again");

            // a message written a day later makes the old session newer than the cursor
            store.assistantText("msg_3", "ses_old", T0 + 2 * day, "old again", 1, 1);
            ParsedFile changed = parse(data.resolve("opencode.db"), ReadOptions.DEFAULT.withResumeCursor(first.cursor()));
            assertEquals(List.of("ses_old", "ses_new"), changed.traces().stream().map(Trace::traceId).toList());
            assertEquals("old again", changed.traces().getFirst().finalAssistantMessage());
            assertEquals(Long.toString(T0 + 2 * day), changed.cursor());
            assertEquals(List.of("ses_old"), parse(data.resolve("opencode.db"), ReadOptions.DEFAULT.withResumeCursor(changed.cursor())).traces().stream()
                    .map(Trace::traceId).toList());
            assertEquals(2, parse(data.resolve("opencode.db"), ReadOptions.DEFAULT).traces().size(), "without a cursor, all");
        }
    }

    @Test
    void aTreeSessionIsNotDiscoveredWhenADatabaseHoldsItAndABrokenPartFileIsAnIssueNamingIt()
            throws IOException, SQLException
    {
        Path storage = data.resolve("storage");
        Files.createDirectories(storage.resolve("session/prj1"));
        Files.createDirectories(storage.resolve("message/ses_t"));
        Files.createDirectories(storage.resolve("part/msg_t1"));
        Files.writeString(storage.resolve("session/prj1/ses_t.json"), "{\"id\":\"ses_t\",\"projectID\":\"prj1\",\"directory\":\"/w\",\"title\":\"t\","
                + "\"version\":\"0.9.1\",\"time\":{\"created\":1,\"updated\":2}}");
        Files.writeString(storage.resolve("session/prj1/ses_d.json"), "{\"id\":\"ses_d\",\"projectID\":\"prj1\",\"directory\":\"/w\",\"title\":\"d\","
                + "\"version\":\"0.9.1\",\"time\":{\"created\":1,\"updated\":2}}");
        Files.writeString(storage.resolve("message/ses_t/msg_t1.json"), "{\"id\":\"msg_t1\",\"sessionID\":\"ses_t\",\"role\":\"user\",\"time\":{\"created\":1}}");
        Files.writeString(storage.resolve("part/msg_t1/prt_1.json"), "{\"id\":\"prt_1\",\"messageID\":\"msg_t1\",\"type\":\"text\",\"text\":\"hi\"}");
        Files.writeString(storage.resolve("part/msg_t1/prt_2.json"), "{\"id\":\"prt_2\",");
        Files.createDirectories(storage.resolve("project"));
        Files.writeString(storage.resolve("project/prj1.json"), "{\"id\":\"prj1\",\"worktree\":\"/w/repo\"}");

        assertEquals(List.of(storage.resolve("session/prj1/ses_d.json"), storage.resolve("session/prj1/ses_t.json")), format.discover(data));
        ParsedFile parsed = parse(storage.resolve("session/prj1/ses_t.json"), ReadOptions.DEFAULT);
        assertEquals(1, parsed.issues().size());
        assertTrue(parsed.issues().getFirst().message().startsWith(storage.resolve("part/msg_t1/prt_2.json") + " is not JSON"));
        Trace trace = parsed.traces().getFirst();
        assertEquals("hi", trace.messages().getFirst().text());
        assertEquals("/w/repo", trace.projectPath());
        assertTrue(format.companions(storage.resolve("session/prj1/ses_t.json")).contains(storage.resolve("part/msg_t1/prt_2.json")));

        try (OpenCodeStore store = OpenCodeStore.create(data.resolve("opencode.db"))) {
            store.session("ses_t", null, "t", 1, 2).userText("msg_t1", "ses_t", 1, "hi");
            assertEquals(List.of(data.resolve("opencode.db"), storage.resolve("session/prj1/ses_d.json")), format.discover(data));
            assertTrue(format.supersedes(data.resolve("opencode.db"), storage.resolve("session/prj1/ses_t.json")));
        }
    }

    private ParsedFile parse(Path file, ReadOptions options)
            throws IOException
    {
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, options);
        }
    }

    private static Map<String, Trace> byId(List<Trace> traces)
    {
        Map<String, Trace> byId = new java.util.TreeMap<>();
        traces.forEach(trace -> byId.put(trace.traceId(), trace));
        return byId;
    }
}
