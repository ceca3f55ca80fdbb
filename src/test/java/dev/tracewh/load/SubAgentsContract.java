package dev.tracewh.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.format.codex.CodexFormat;
import dev.tracewh.testing.WarehouseContract;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Sub-agents are linked to the trace and the call that spawned them, whatever order their files load in, and a
 * session's rollup counts each response once: a sub-agent's usage that its parent replays in agent_progress lines
 * comes from the replay only when the sub-agent's own file is absent.
 */
public abstract class SubAgentsContract
        extends WarehouseContract
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SESSION = "5b1c1f5e-0000-4000-8000-00000000a9e1";
    private static final String PARENT_THREAD = "0199a000-0000-7000-8000-0000000000a1";
    private static final String CHILD_THREAD = "0199a000-0000-7000-8000-0000000000a2";
    private static final String FORK_THREAD = "0199a000-0000-7000-8000-0000000000a3";
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path sources;

    private Path claude;
    private Path codex;
    private Path presentAgentFile;

    @BeforeEach
    void writeSessions()
            throws IOException
    {
        claude = sources.resolve("claude");
        codex = sources.resolve("codex");
        Path project = claude.resolve("-home-dev-project");
        write(project.resolve(SESSION + ".jsonl"), parentSession());
        presentAgentFile = project.resolve(SESSION).resolve("subagents").resolve("agent-a111.jsonl");
        write(presentAgentFile, subAgent("a111", "Read the code", "msg_s1", START.plusSeconds(3), true));
        // a 2.0.x Warmup agent, flat beside the session: no call spawned it
        write(project.resolve("agent-w000.jsonl"), subAgent("w000", "Warmup", "msg_w", START.minusSeconds(5), false));
        Path day = codex.resolve("2026/12/01");
        write(day.resolve("rollout-2026-12-01T10-00-00-" + PARENT_THREAD + ".jsonl"), rollout(PARENT_THREAD, null, null));
        write(day.resolve("rollout-2026-12-01T10-01-00-" + CHILD_THREAD + ".jsonl"), rollout(CHILD_THREAD, PARENT_THREAD, null));
        write(day.resolve("rollout-2026-12-01T10-02-00-" + FORK_THREAD + ".jsonl"), rollout(FORK_THREAD, null, PARENT_THREAD));
    }

    @Test
    void subAgentsAreLinkedToTheirSpawningCallsAndTheRollupCountsEachResponseOnce()
            throws IOException
    {
        load();

        Record present = trace(SESSION + ":a111");
        assertEquals(SESSION, present.get("parent_trace_id"));
        assertEquals("toolu_A", present.get("parent_tool_call_id"), "found by the agentId at the end of the Task result");
        Record warmup = trace(SESSION + ":w000");
        assertEquals(SESSION, warmup.get("parent_trace_id"));
        assertNull(warmup.get("parent_tool_call_id"), "a Warmup agent has no spawning call");
        Record root = trace(SESSION);
        assertNull(root.get("parent_trace_id"));
        assertNull(root.get("parent_tool_call_id"));

        // msg_s1 is the present sub-agent's (it holds the message), msg_s2 only the parent's replay of the absent a222
        assertEquals(Map.of("msg_1", SESSION, "msg_2", SESSION, "msg_s1", SESSION + ":a111", "msg_s2", SESSION, "msg_w", SESSION + ":w000"), usageOwners());
        assertClaudeRollup(3);
    }

    @Test
    void theLinksAndTheRollupDoNotDependOnTheLoadOrder()
            throws IOException
    {
        Path parent = claude.resolve("-home-dev-project").resolve(SESSION + ".jsonl");
        Path held = sources.resolve("held.jsonl");
        Files.move(parent, held);
        load();
        assertNull(trace(SESSION + ":a111").get("parent_tool_call_id"), "the parent is not loaded yet");
        Files.move(held, parent);
        load();
        assertEquals("toolu_A", trace(SESSION + ":a111").get("parent_tool_call_id"));
        assertEquals(SESSION + ":a111", usageOwners().get("msg_s1"), "the sub-agent loaded first keeps its response");
        assertClaudeRollup(3);
    }

    @Test
    void aNestedSubAgentsParentIsTheSubAgentThatSpawnedIt()
            throws IOException
    {
        List<String> spawner = new ArrayList<>(Files.readAllLines(presentAgentFile));
        ObjectNode spawn = assistant(SESSION, "a111", 3, START.plusSeconds(5), "msg_n1", 10);
        spawn.withObject("message").putArray("content").addObject().put("type", "tool_use").put("id", "toolu_N").put("name", "Agent")
                .putObject("input").put("prompt", "Look deeper");
        spawner.add(spawn.toString());
        ObjectNode result = claudeLine("user", SESSION, "a111", 4, START.plusSeconds(6));
        result.putObject("message").put("role", "user").putArray("content").addObject().put("type", "tool_result").put("tool_use_id", "toolu_N")
                .put("content", "Deeper is fine.\nagentId: a333 (use SendMessage with to: 'a333' to continue this agent)");
        spawner.add(result.toString());
        write(presentAgentFile, spawner);
        write(presentAgentFile.resolveSibling("agent-a333.jsonl"), subAgent("a333", "Look deeper", "msg_n2", START.plusSeconds(5), false));
        load();

        Record nested = trace(SESSION + ":a333");
        assertEquals(SESSION + ":a111", nested.get("parent_trace_id"));
        assertEquals("toolu_N", nested.get("parent_tool_call_id"));
        assertEquals(4L, number(rollup("claude_code", SESSION), "trace_count"), "a nested sub-agent is in its root session's rollup");
    }

    @Test
    void aSubAgentWithoutItsFileIsCountedFromItsParentsReplay()
            throws IOException
    {
        Files.delete(presentAgentFile);
        load();

        assertEquals(Map.of("msg_1", SESSION, "msg_2", SESSION, "msg_s1", SESSION, "msg_s2", SESSION, "msg_w", SESSION + ":w000"), usageOwners());
        Record rollup = rollup("claude_code", SESSION);
        assertEquals(2L, number(rollup, "trace_count"));
        assertEquals(1L, number(rollup, "sub_agent_count"));
        assertEquals(5L, number(rollup, "responses"));
        assertEquals(3L * 10 + 1000 + 1, number(rollup, "input_tokens"), "every response once, the replayed ones too");
    }

    @Test
    void aCodexSubAgentNamesItsParentThreadAndAForkIsASessionOfItsOwn()
            throws IOException
    {
        load();

        Record child = trace(CHILD_THREAD);
        assertEquals(PARENT_THREAD, child.get("parent_trace_id"));
        assertNull(child.get("parent_tool_call_id"), "thread_spawn names no call");
        Record fork = trace(FORK_THREAD);
        assertNull(fork.get("parent_trace_id"), "a fork is not a sub-agent");
        Record parent = rollup("codex", PARENT_THREAD);
        assertEquals(2L, number(parent, "trace_count"));
        assertEquals(1L, number(parent, "sub_agent_count"));
        assertEquals(8L, number(parent, "message_count"), "4 messages in each thread: prompt, call, output, answer");
        assertEquals(2L, number(parent, "tool_call_count"));
        assertEquals(1L, number(parent, "tool_error_count"));
        Record forked = rollup("codex", FORK_THREAD);
        assertEquals(1L, number(forked, "trace_count"));
        assertEquals(0L, number(forked, "sub_agent_count"));
    }

    /** The parent (msg_1, msg_2 and the replays msg_s1, msg_s2), a111 (msg_s1 and an error) and the Warmup agent (msg_w). */
    private void assertClaudeRollup(long traces)
    {
        Record rollup = rollup("claude_code", SESSION);
        assertEquals(traces, number(rollup, "trace_count"));
        assertEquals(traces - 1, number(rollup, "sub_agent_count"));
        assertEquals(5L, number(rollup, "responses"));
        assertEquals(3L * 10 + 1000 + 1, number(rollup, "input_tokens"));
        assertEquals(5L * 20, number(rollup, "output_tokens"));
        assertEquals(1L, number(rollup, "tool_error_count"));
        long messages = dsl.fetchValue("select sum(message_count) from v_traces where root_session_id = ?", SESSION) instanceof Number count
                ? count.longValue() : -1;
        assertEquals(messages, number(rollup, "message_count"));
        assertEquals(3L, number(rollup, "tool_call_count"), "two Task calls and the sub-agent's Bash call");
    }

    private List<String> parentSession()
    {
        List<String> lines = new ArrayList<>();
        lines.add(claudeLine("user", SESSION, null, 0, START).set("message", userText("Look at the code twice")).toString());
        ObjectNode spawn = assistant(SESSION, null, 1, START.plusSeconds(1), "msg_1", 10);
        ObjectNode content = spawn.withObject("message").putArray("content").addObject().put("type", "tool_use").put("id", "toolu_A").put("name", "Task");
        content.putObject("input").put("description", "read").put("prompt", "Read the code");
        spawn.withObject("message").withArray("content").addObject().put("type", "tool_use").put("id", "toolu_B").put("name", "Agent")
                .putObject("input").put("description", "read again").put("prompt", "Read it again");
        lines.add(spawn.toString());
        // the parent replays each sub-agent's responses while they run; msg_s1 twice, as streamed lines repeat
        lines.add(progress(2, START.plusSeconds(4), "toolu_A", "a111", "msg_s1", 1000));
        lines.add(progress(3, START.plusSeconds(5), "toolu_A", "a111", "msg_s1", 1000));
        lines.add(progress(4, START.plusSeconds(6), "toolu_B", "a222", "msg_s2", 1));
        ObjectNode results = claudeLine("user", SESSION, null, 5, START.plusSeconds(7));
        ObjectNode resultMessage = results.putObject("message").put("role", "user");
        ObjectNode first = resultMessage.putArray("content").addObject().put("type", "tool_result").put("tool_use_id", "toolu_A");
        first.putArray("content").addObject().put("type", "text").put("text", "The code is fine.");
        first.withArray("content").addObject().put("type", "text").put("text", "agentId: a111 (for resuming to continue this agent's work if needed)");
        ObjectNode second = resultMessage.withArray("content").addObject().put("type", "tool_result").put("tool_use_id", "toolu_B");
        second.putArray("content").addObject().put("type", "text").put("text", "Still fine.");
        second.withArray("content").addObject().put("type", "text").put("text", "agentId: a222 (use SendMessage with to: 'a222' to continue this agent)");
        lines.add(results.toString());
        ObjectNode done = assistant(SESSION, null, 6, START.plusSeconds(8), "msg_2", 10);
        done.withObject("message").putArray("content").addObject().put("type", "text").put("text", "Both agents agree.");
        lines.add(done.toString());
        return lines;
    }

    private List<String> subAgent(String agentId, String prompt, String responseId, Instant start, boolean withBash)
    {
        List<String> lines = new ArrayList<>();
        lines.add(claudeLine("user", SESSION, agentId, 0, start).set("message", userText(prompt)).toString());
        ObjectNode response = assistant(SESSION, agentId, 1, start.plusSeconds(1), responseId, responseId.equals("msg_s1") ? 1000 : 10);
        if (withBash) {
            response.withObject("message").putArray("content").addObject().put("type", "tool_use").put("id", "toolu_bash").put("name", "Bash")
                    .putObject("input").put("command", "false");
            lines.add(response.toString());
            ObjectNode result = claudeLine("user", SESSION, agentId, 2, start.plusSeconds(2));
            result.putObject("message").put("role", "user").putArray("content").addObject()
                    .put("type", "tool_result").put("tool_use_id", "toolu_bash").put("is_error", true).put("content", "Exit code 1");
            lines.add(result.toString());
        }
        else {
            response.withObject("message").putArray("content").addObject().put("type", "text").put("text", "Ready.");
            lines.add(response.toString());
        }
        return lines;
    }

    private static String progress(int index, Instant timestamp, String toolUseId, String agentId, String responseId, long input)
    {
        ObjectNode line = claudeLine("progress", SESSION, null, index, timestamp).put("toolUseID", "progress-" + index).put("parentToolUseID", toolUseId);
        ObjectNode data = line.putObject("data").put("type", "agent_progress").put("agentId", agentId).put("prompt", "...");
        ObjectNode replayed = assistant(SESSION, agentId, 100 + index, timestamp, responseId, input);
        replayed.withObject("message").putArray("content").addObject().put("type", "text").put("text", "working");
        data.set("message", replayed);
        return line.toString();
    }

    private static ObjectNode assistant(String session, String agentId, int index, Instant timestamp, String responseId, long input)
    {
        ObjectNode line = claudeLine("assistant", session, agentId, index, timestamp).put("requestId", "req_" + responseId);
        ObjectNode message = line.putObject("message").put("id", responseId).put("type", "message").put("role", "assistant").put("model", "claude-sonnet-4-5");
        message.putObject("usage").put("input_tokens", input).put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0).put("output_tokens", 20);
        return line;
    }

    private static ObjectNode userText(String text)
    {
        return MAPPER.createObjectNode().put("role", "user").put("content", text);
    }

    private static ObjectNode claudeLine(String type, String session, String agentId, int index, Instant timestamp)
    {
        String prefix = agentId == null ? "line-" : agentId + "-line-";
        ObjectNode line = MAPPER.createObjectNode()
                .put("type", type)
                .put("uuid", prefix + index)
                .put("parentUuid", index == 0 ? null : prefix + (index - 1))
                .put("sessionId", session)
                .put("timestamp", timestamp.toString())
                .put("cwd", "/home/dev/project")
                .put("version", "2.1.42");
        if (agentId != null) {
            line.put("agentId", agentId).put("isSidechain", true);
        }
        return line;
    }

    /** A thread with a prompt, an answer and a failing shell call; a sub-agent names its parent, a fork what it forked. */
    private static List<String> rollout(String thread, String parentThread, String forkedFrom)
    {
        Instant clock = START.plusSeconds(60);
        ObjectNode meta = MAPPER.createObjectNode().put("id", thread).put("cwd", "/home/dev/project").put("timestamp", clock.toString());
        if (parentThread != null) {
            meta.putObject("source").putObject("subagent").putObject("thread_spawn").put("parent_thread_id", parentThread).put("depth", 1);
        }
        if (forkedFrom != null) {
            meta.put("forked_from_id", forkedFrom);
        }
        ObjectNode prompt = MAPPER.createObjectNode().put("type", "message").put("role", "user");
        prompt.putArray("content").addObject().put("type", "input_text").put("text", "Check the build");
        ObjectNode call = MAPPER.createObjectNode().put("type", "function_call").put("name", "shell").put("arguments", "{\"command\":[\"false\"]}")
                .put("call_id", "call_" + thread);
        ObjectNode output = MAPPER.createObjectNode().put("type", "function_call_output").put("call_id", "call_" + thread)
                .put("output", parentThread == null ? "ok" : "{\"output\":\"failed\",\"metadata\":{\"exit_code\":1}}");
        ObjectNode answer = MAPPER.createObjectNode().put("type", "message").put("role", "assistant");
        answer.putArray("content").addObject().put("type", "output_text").put("text", "Done.");
        return List.of(
                codexLine("session_meta", clock, meta),
                codexLine("response_item", clock.plusSeconds(1), prompt),
                codexLine("response_item", clock.plusSeconds(2), call),
                codexLine("response_item", clock.plusSeconds(3), output),
                codexLine("response_item", clock.plusSeconds(4), answer));
    }

    private static String codexLine(String type, Instant timestamp, ObjectNode payload)
    {
        ObjectNode line = MAPPER.createObjectNode().put("timestamp", timestamp.toString()).put("type", type);
        line.set("payload", payload);
        return line.toString();
    }

    private void load()
            throws IOException
    {
        List<SourceRoot> roots = List.of(new SourceRoot(new ClaudeCodeFormat(), claude), new SourceRoot(new CodexFormat(), codex));
        LoadReport report = new Loader(warehouse, "test").load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(0, report.files().errors(), "the sessions load without errors");
    }

    private Record trace(String traceId)
    {
        return dsl.fetchOne("select parent_trace_id, parent_tool_call_id from v_traces where trace_id = ?", traceId);
    }

    private Record rollup(String sourceKind, String rootSessionId)
    {
        return dsl.fetchOne("select * from v_session_rollup where source_kind = ? and root_session_id = ?", sourceKind, rootSessionId);
    }

    private Map<String, String> usageOwners()
    {
        return dsl.fetch("select response_id, trace_id from token_usage where source_kind = 'claude_code'")
                .intoMap(row -> row.get(0, String.class), row -> row.get(1, String.class));
    }

    private static long number(Record record, String field)
    {
        return ((Number) record.get(field)).longValue();
    }

    private static void write(Path file, List<String> lines)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
    }
}
