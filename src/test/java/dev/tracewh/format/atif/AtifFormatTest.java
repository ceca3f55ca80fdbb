package dev.tracewh.format.atif;

import dev.tracewh.format.ReadOptions;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written documents for the rules the real fixtures lack: usage, sub-agents, ContentParts, broken steps and files. */
class AtifFormatTest
{
    private final AtifFormat format = new AtifFormat();

    @Test
    void atifHasNoDefaultLocationAndIsRewrittenWhole()
    {
        assertEquals(List.of(), format.defaultRoots(null));
        assertFalse(format.appendOnly());
        assertTrue(AtifFormat.isTrajectory(Path.of("job/trial/agent/trajectory.cont-2.json")));
        assertTrue(AtifFormat.isTrajectory(Path.of("x/session-1.atif.json")));
        assertFalse(AtifFormat.isTrajectory(Path.of("job/trial/result.json")));
        assertFalse(AtifFormat.isTrajectory(Path.of("job/config.json")));
    }

    @Test
    void stepMetricsAreUsageWithoutTheCachedPartInTheInput()
            throws IOException
    {
        Trace trace = parse("trajectory.json", """
                {"schema_version": "ATIF-v1.6", "session_id": "s1", "agent": {"name": "terminus-2", "version": "1", "model_name": "m"},
                 "steps": [
                  {"step_id": 1, "source": "user", "message": "hi"},
                  {"step_id": 2, "source": "agent", "message": [{"type": "text", "text": "look"}, {"type": "image", "source": {"media_type": "image/png", "path": "a.png"}}],
                   "metrics": {"prompt_tokens": 1000, "cached_tokens": 800, "completion_tokens": 50, "cost_usd": 0.25}},
                  {"step_id": 3, "source": "agent", "message": "again", "is_copied_context": true,
                   "metrics": {"prompt_tokens": 7, "completion_tokens": 7}},
                  {"step_id": 4, "source": "agent", "model_name": "m2", "message": "done",
                   "metrics": {"prompt_tokens": 10, "completion_tokens": 5, "cost_usd": 0.5}}
                 ]}
                """).traces().getFirst();
        assertEquals(List.of(
                new TokenUsage("s1/step-2", "", 1, "m", null, 200, 0, 800, 50, 0),
                new TokenUsage("s1/step-4", "", 3, "m2", null, 10, 0, 0, 5, 0)), trace.tokenUsage(), "a copied step's usage is its source's");
        assertEquals(new java.math.BigDecimal("0.75"), trace.sourceMeta().get("step_cost_usd"));
        assertEquals(List.of(3), trace.sourceMeta().get("copied_context_step_ids"));
        assertEquals(List.of(ContentBlock.text("look"), new ContentBlock("image", null, "image/png")), trace.messages().get(1).content());
        assertEquals(List.of("m", "m2"), trace.models());
    }

    @Test
    void eachEmbeddedSubAgentIsASidechainOfTheRootTrajectory()
            throws IOException
    {
        ParsedFile parsed = parse("trajectory.json", """
                {"schema_version": "ATIF-v1.7", "session_id": "run", "trajectory_id": "main", "agent": {"name": "a", "version": "1"},
                 "steps": [{"step_id": 1, "source": "agent", "message": "delegating",
                            "tool_calls": [{"tool_call_id": "c1", "function_name": "spawn", "arguments": {"task": "t"}}],
                            "observation": {"results": [{"source_call_id": "c1", "content": "child done",
                                                         "subagent_trajectory_ref": [{"trajectory_id": "child"}]}]}}],
                 "subagent_trajectories": [
                   {"schema_version": "ATIF-v1.7", "trajectory_id": "child", "agent": {"name": "a", "version": "1"},
                    "steps": [{"step_id": 1, "source": "user", "message": "t"}, {"step_id": 2, "source": "agent", "message": "ok"}],
                    "subagent_trajectories": [{"trajectory_id": "grandchild", "agent": {"name": "a"}, "steps": [{"step_id": 1, "source": "agent", "message": "deep"}]}]}
                 ]}
                """);
        assertEquals(List.of(), parsed.issues());
        assertEquals(List.of("run", "child", "grandchild"), parsed.traces().stream().map(Trace::traceId).toList());
        Trace main = parsed.traces().get(0);
        assertEquals("run", main.rootSessionId());
        assertFalse(main.isSidechain());
        assertEquals(List.of(Map.of("step_id", 1, "refs", List.of(Map.of("trajectory_id", "child")))), main.sourceMeta().get("subagent_trajectory_refs"));
        assertEquals("child done", main.toolCalls().getFirst().resultText());
        for (Trace child : parsed.traces().subList(1, 3)) {
            assertTrue(child.isSidechain());
            assertEquals("run", child.rootSessionId(), "a nested sub-agent's root is the top trajectory");
            assertEquals(child.traceId(), child.agentId());
        }
        assertEquals(2, parsed.traces().get(1).messageCount());
        // the top document's sub-agents are located; a nested one takes its parent's line
        assertEquals(List.of(7L, 7L), parsed.traces().subList(1, 3).stream().map(child -> child.messages().getFirst().lineNumber()).toList());
    }

    @Test
    void aSubAgentInAFileOfItsOwnIsASidechainOfTheSessionItNames()
            throws IOException
    {
        // Terminus-2's summarization sub-agent: its session_id extends the run's, agent.extra names the parent session
        Trace summary = parse("trajectory.summarization-1-summary.json", """
                {"schema_version": "ATIF-v1.5", "session_id": "run-summarization-1-summary",
                 "agent": {"name": "terminus-2-summarization-summary", "version": "1", "extra": {"parent_session_id": "run", "summarization_index": 1}},
                 "steps": [{"step_id": 1, "source": "user", "message": "copied", "is_copied_context": true},
                           {"step_id": 2, "source": "user", "message": "Summarize"}, {"step_id": 3, "source": "agent", "message": "Summary"}]}
                """).traces().getFirst();
        assertEquals("run-summarization-1-summary", summary.traceId());
        assertEquals("run", summary.rootSessionId());
        assertTrue(summary.isSidechain());
        assertEquals("run-summarization-1-summary", summary.agentId());
        assertEquals("run", summary.sourceMeta().get("parent_session_id"));

        // v1.7: a sub-agent file may share its run's session_id; its trajectory_id tells it from its parent
        Trace shared = parse("trajectory.helper.json", """
                {"schema_version": "ATIF-v1.7", "session_id": "run", "trajectory_id": "run-helper",
                 "agent": {"name": "a", "version": "1", "extra": {"parent_session_id": "run"}},
                 "steps": [{"step_id": 1, "source": "agent", "message": "helped"}]}
                """).traces().getFirst();
        assertEquals(List.of("run-helper", "run", true), List.of(shared.traceId(), shared.rootSessionId(), shared.isSidechain()));

        // without a trajectory_id of its own, a document sharing its parent's session would be its parent's trace: no sub-agent
        Trace itself = parse("trajectory.json", """
                {"schema_version": "ATIF-v1.6", "session_id": "run", "agent": {"name": "a", "version": "1", "extra": {"parent_session_id": "run"}},
                 "steps": [{"step_id": 1, "source": "agent", "message": "main"}]}
                """).traces().getFirst();
        assertEquals(List.of("run", "run", false), List.of(itself.traceId(), itself.rootSessionId(), itself.isSidechain()));
    }

    @Test
    void theCallWhoseResultRefersToASubAgentIsKeptForItsLink()
            throws IOException
    {
        Trace parent = parse("trajectory.json", """
                {"schema_version": "ATIF-v1.7", "session_id": "run", "agent": {"name": "a", "version": "1"},
                 "steps": [{"step_id": 1, "source": "agent", "message": "delegating",
                            "tool_calls": [{"tool_call_id": "c1", "function_name": "delegate", "arguments": {}}],
                            "observation": {"results": [{"source_call_id": "c1", "content": "done",
                                                         "subagent_trajectory_ref": [{"trajectory_id": "run-helper", "trajectory_path": "trajectory.helper.json"}]}]}},
                           {"step_id": 2, "source": "system", "message": "Performed context summarization and handoff to continue task.",
                            "observation": {"results": [{"subagent_trajectory_ref": [{"session_id": "run-summarization-1-summary",
                                                                                      "trajectory_path": "trajectory.summarization-1-summary.json"}]}]}}]}
                """).traces().getFirst();
        // the system step's ref names no call: it is in the refs only
        assertEquals(Map.of("run-helper", "c1"), parent.sourceMeta().get("subagent_call_ids"));
        assertEquals(2, ((List<?>) parent.sourceMeta().get("subagent_trajectory_refs")).size());
        assertNull(parent.sourceMeta().get("parent_session_id"));
        assertFalse(parent.isSidechain());
    }

    @Test
    void aBrokenStepIsAnIssueOnItsLineAndTheRestLoads()
            throws IOException
    {
        ParsedFile parsed = parse("trajectory.json", """
                {
                  "schema_version": "ATIF-v1.4",
                  "session_id": "s2",
                  "agent": {"name": "a", "version": "1"},
                  "steps": [
                    {"step_id": 1, "source": "user", "message": "hi"},
                    {"step_id": 2, "source": "robot", "message": "?"},
                    "not a step",
                    {"step_id": 9, "source": "agent", "message": "ok", "timestamp": "0001-01-01T00:00:00Z",
                     "tool_calls": [{"function_name": "no_id"}], "metrics": {"prompt_tokens": -1}}
                  ]
                }
                """);
        Trace trace = parsed.traces().getFirst();
        assertEquals(List.of(Role.USER, Role.ASSISTANT), trace.messages().stream().map(message -> message.role()).toList());
        assertEquals(List.of(7L, 8L, 9L, 9L, 9L), parsed.issues().stream().map(ParseIssue::lineNumber).toList());
        assertEquals(List.of("invalid_step", "invalid_step", "out_of_range", "invalid_step", "invalid_count"),
                parsed.issues().stream().map(ParseIssue::errorClass).toList());
        assertEquals(0, trace.toolCallCount());
        assertEquals(List.of(), trace.tokenUsage());
        assertEquals(1L, trace.sourceMeta().get("step_ids_out_of_sequence"), "step 9 in position 4; skipped steps still count their positions");
    }

    @Test
    void aFileIsRejectedOnlyWhereNoTraceCanBeFormed()
            throws IOException
    {
        ParsedFile invalid = parse("trajectory.json", "{\n  \"session_id\": \"s\",\n  \"steps\": [\n    {\"step_id\": 1,,}\n  ]\n}\n");
        assertEquals(List.of(), invalid.traces());
        assertEquals("invalid_json", invalid.issues().getFirst().errorClass());
        assertEquals(4, invalid.issues().getFirst().lineNumber());

        assertEquals("not_an_object", parse("trajectory.json", "[1, 2]").issues().getFirst().errorClass());
        ParsedFile noId = parse("trajectory.json", "{\"agent\": {}, \"steps\": [{\"step_id\": 1, \"source\": \"user\", \"message\": \"x\"}]}");
        assertEquals(List.of(), noId.traces());
        assertTrue(noId.issues().getFirst().message().contains("neither session_id nor trajectory_id"));
        ParsedFile noSteps = parse("trajectory.json", "{\"session_id\": \"s\", \"steps\": []}");
        assertEquals(List.of(), noSteps.traces());
        assertEquals("not_a_trajectory", noSteps.issues().getFirst().errorClass());
    }

    @Test
    void aContinuationSharingItsRunsSessionIdIsATraceOfItsOwn()
            throws IOException
    {
        Trace trace = parse("trajectory.cont-2.json", """
                {"schema_version": "ATIF-v1.5", "session_id": "run", "agent": {"name": "terminus-2", "version": "1"},
                 "steps": [{"step_id": 1, "source": "system", "message": "continued", "observation": {"results": [{"content": "summary"}]}}]}
                """).traces().getFirst();
        assertEquals("run-cont-2", trace.traceId());
        assertEquals("run", trace.rootSessionId());
        assertEquals("run", trace.sourceMeta().get("continuation_of"));
        assertNull(trace.messages().get(1).toolCallId());
    }

    private ParsedFile parse(String name, String document)
            throws IOException
    {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        ParsedFile parsed = format.parse(Path.of("/runs/" + name), new ByteArrayInputStream(bytes), ReadOptions.DEFAULT);
        assertEquals(bytes.length, parsed.consumedBytes());
        return parsed;
    }
}
