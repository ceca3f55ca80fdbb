package dev.tracewh.load;

import dev.tracewh.format.atif.AtifFormat;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.WarehouseContract;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ATIF documents load like any session: the real fixtures whole, usage without the cached part in the input, an
 * embedded sub-agent in its root's rollup, and a document rewritten with fewer steps replaces its rows (ATIF is not
 * append-only, so a rewrite is no damage).
 */
public abstract class AtifLoadContract
        extends WarehouseContract
{
    @TempDir
    Path sources;

    @Test
    void theRealTrajectoriesLoadWhole()
            throws IOException
    {
        load(SharedFixtures.path("atif"));
        // 13 + 18 + 14 messages and 6 + 0 + 5 tool calls (AtifConformanceTest); two of the converter's results failed
        assertEquals(3L, count("select count(*) from sessions where source_kind = 'atif'"));
        assertEquals(45L, count("select sum(message_count) from sessions where source_kind = 'atif'"));
        assertEquals(45L, count("select count(*) from messages m join sessions s on s.trace_id = m.trace_id where s.source_kind = 'atif'"));
        assertEquals(11L, count("select count(*) from tool_calls t join sessions s on s.trace_id = t.trace_id where s.source_kind = 'atif'"));
        assertEquals(2L, count("select count(*) from tool_calls t join sessions s on s.trace_id = t.trace_id where s.source_kind = 'atif' and t.is_error"));
        assertEquals(0L, count("select count(*) from token_usage where source_kind = 'atif'"), "no fixture has per-step token counts");
    }

    @Test
    void usageSubAgentsAndARewrittenDocument()
            throws IOException
    {
        Path file = sources.resolve("job/trial/agent/trajectory.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, document(true));
        Files.writeString(file.resolveSibling("result.json"), "{\"not\": \"a trajectory\"}");
        load(sources);

        Record rollup = dsl.fetchOne("select * from v_session_rollup where source_kind = 'atif' and root_session_id = 'run'");
        assertEquals(2L, number(rollup, "trace_count"));
        assertEquals(1L, number(rollup, "sub_agent_count"));
        assertEquals(2L, number(rollup, "responses"));
        assertEquals(200L + 10, number(rollup, "input_tokens"), "prompt_tokens less cached_tokens");
        assertEquals(800L, number(rollup, "cache_read_input_tokens"));
        assertEquals(55L, number(rollup, "output_tokens"));
        assertEquals(5L, number(rollup, "message_count"), "3 in the main trajectory, 2 in the sub-agent");

        Files.writeString(file, document(false));
        load(sources);
        assertEquals(3L, count("select sum(message_count) from sessions where root_session_id = 'run'"), "the rewritten document's 2 messages and the sub-agent's 1");
        assertEquals(1L, count("select count(*) from token_usage where source_kind = 'atif'"));
    }

    @Test
    void subAgentsInFilesOfTheirOwnJoinTheirParentsSessionWhicheverLoadsFirst()
            throws IOException
    {
        // a Terminus-2 run split at each summarization (linear history): summarization 1's refs are in trajectory.json,
        // summarization 2's and a delegated helper's (by call c1) in trajectory.cont-1.json; the sub-agents load first
        Path agent = Files.createDirectories(sources.resolve("job/trial/agent"));
        Files.writeString(agent.resolve("trajectory.summarization-1-summary.json"), summarization(1));
        Files.writeString(agent.resolve("trajectory.summarization-2-summary.json"), summarization(2));
        Files.writeString(agent.resolve("trajectory.helper.json"), """
                {"schema_version": "ATIF-v1.7", "session_id": "run", "trajectory_id": "run-helper",
                 "agent": {"name": "helper", "version": "1", "extra": {"parent_session_id": "run"}},
                 "steps": [{"step_id": 1, "source": "user", "message": "check"}, {"step_id": 2, "source": "agent", "message": "checked"}]}
                """);
        load(sources);
        // before the parents load, each sub-agent's parent is its root session's trace, and no call is known
        assertEquals(List.of("run-helper:run:null", "run-summarization-1-summary:run:null", "run-summarization-2-summary:run:null"), links());

        Files.writeString(agent.resolve("trajectory.json"), """
                {"schema_version": "ATIF-v1.5", "session_id": "run", "continued_trajectory_ref": "trajectory.cont-1.json",
                 "agent": {"name": "terminus-2", "version": "1"},
                 "steps": [{"step_id": 1, "source": "user", "message": "task"}, {"step_id": 2, "source": "agent", "message": "working"},
                           %s]}
                """.formatted(handoff(3, 1)));
        Files.writeString(agent.resolve("trajectory.cont-1.json"), """
                {"schema_version": "ATIF-v1.5", "session_id": "run", "agent": {"name": "terminus-2", "version": "1", "extra": {"continuation_index": 1}},
                 "steps": [{"step_id": 1, "source": "user", "message": "handoff"},
                           {"step_id": 2, "source": "agent", "message": "delegating",
                            "tool_calls": [{"tool_call_id": "c1", "function_name": "delegate", "arguments": {"task": "check"}}],
                            "observation": {"results": [{"source_call_id": "c1", "content": "checked",
                                                         "subagent_trajectory_ref": [{"trajectory_id": "run-helper", "trajectory_path": "trajectory.helper.json"}]}]}},
                           %s]}
                """.formatted(handoff(3, 2)));
        load(sources);
        // summarization 2 and the helper hang off the continuation that refers to them; only the helper has a call
        assertEquals(List.of("run-helper:run-cont-1:c1", "run-summarization-1-summary:run:null", "run-summarization-2-summary:run-cont-1:null"), links());
        assertEquals(0L, count("select count(*) from v_traces where root_session_id = 'run' and not is_sidechain and parent_trace_id is not null"));

        Record rollup = dsl.fetchOne("select * from v_session_rollup where source_kind = 'atif' and root_session_id = 'run'");
        assertEquals(5L, number(rollup, "trace_count"), "the run, its continuation and three sub-agents");
        assertEquals(3L, count("select count(*) from sessions where root_session_id = 'run' and is_sidechain"));
    }

    /** Each sub-agent as {@code trace_id:parent_trace_id:parent_tool_call_id}. */
    private List<String> links()
    {
        return dsl.fetch("select trace_id, parent_trace_id, parent_tool_call_id from v_traces where source_kind = 'atif' and is_sidechain order by trace_id")
                .map(row -> row.get(0) + ":" + row.get(1) + ":" + row.get(2));
    }

    /** Terminus-2's summary sub-agent of summarization {@code n}: its first step a copy of the parent's. */
    private static String summarization(int n)
    {
        return """
                {"schema_version": "ATIF-v1.5", "session_id": "run-summarization-%d-summary",
                 "agent": {"name": "terminus-2-summarization-summary", "version": "1", "extra": {"parent_session_id": "run", "summarization_index": %d}},
                 "steps": [{"step_id": 1, "source": "user", "message": "task", "is_copied_context": true},
                           {"step_id": 2, "source": "agent", "message": "summary %d"}]}
                """.formatted(n, n, n);
    }

    /** The system step Terminus-2 writes after summarization {@code n}: its refs name no call. */
    private static String handoff(int stepId, int n)
    {
        return """
                {"step_id": %d, "source": "system", "message": "Performed context summarization and handoff to continue task.",
                 "observation": {"results": [{"subagent_trajectory_ref": [{"session_id": "run-summarization-%d-summary",
                   "trajectory_path": "trajectory.summarization-%d-summary.json", "extra": {"summary": "Summary"}}]}]}}""".formatted(stepId, n, n);
    }

    /** The main trajectory with an embedded sub-agent; {@code whole} false: the same run rewritten one step shorter on each side. */
    private static String document(boolean whole)
    {
        String mainSteps = """
                {"step_id": 1, "source": "user", "message": "Fix it", "timestamp": "2026-12-01T10:00:00Z"},
                {"step_id": 2, "source": "agent", "message": "Fixed", "timestamp": "2026-12-01T10:00:05Z",
                 "metrics": {"prompt_tokens": 1000, "cached_tokens": 800, "completion_tokens": 50, "cost_usd": 0.01}}""";
        String childSteps = """
                {"step_id": 1, "source": "user", "message": "Look"}""";
        if (whole) {
            mainSteps += """
                    ,
                    {"step_id": 3, "source": "system", "message": "Done"}""";
            childSteps += """
                    ,
                    {"step_id": 2, "source": "agent", "message": "Seen", "metrics": {"prompt_tokens": 10, "completion_tokens": 5}}""";
        }
        return """
                {"schema_version": "ATIF-v1.7", "session_id": "run", "agent": {"name": "a", "version": "1", "model_name": "m"},
                 "steps": [%s],
                 "subagent_trajectories": [{"trajectory_id": "run-child", "agent": {"name": "a", "version": "1"}, "steps": [%s]}]}
                """.formatted(mainSteps, childSteps);
    }

    private void load(Path root)
            throws IOException
    {
        LoadReport report = new Loader(warehouse, "test").load(List.of(new SourceRoot(new AtifFormat(), root)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(0, report.files().errors(), "the documents load without errors");
        assertEquals(0, report.files().failed(), "no file fails");
    }

    private long count(String sql)
    {
        return ((Number) dsl.fetchValue(sql)).longValue();
    }

    private static long number(Record record, String field)
    {
        return ((Number) record.get(field)).longValue();
    }
}
