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
