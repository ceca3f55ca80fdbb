package dev.tracewh.load;

import dev.tracewh.format.openclaw.OpenClawFormat;
import dev.tracewh.format.pi.PiFormat;
import dev.tracewh.testing.WarehouseContract;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Pi session with an abandoned branch and an OpenClaw archive load into the warehouse: every message stored, the
 * abandoned one off the active path and out of message_count, tool calls paired, one usage row per response.
 */
public abstract class PiLoadContract
        extends WarehouseContract
{
    private static final String PI_SESSION = """
            {"type":"session","version":3,"id":"pi-s1","timestamp":"2026-01-01T00:00:00Z","cwd":"/p"}
            {"type":"model_change","id":"m0","parentId":null,"provider":"anthropic","modelId":"claude-x","timestamp":"2026-01-01T00:00:00Z"}
            {"type":"message","id":"e1","parentId":"m0","timestamp":"2026-01-01T00:00:01Z","message":{"role":"user","content":"list files"}}
            {"type":"message","id":"e2","parentId":"e1","timestamp":"2026-01-01T00:00:02Z","message":{"role":"assistant","model":"claude-x","content":[{"type":"toolCall","id":"t1","name":"bash","arguments":{"command":"ls"}}],"usage":{"input":10,"output":5,"cacheRead":100,"cacheWrite":20}}}
            {"type":"message","id":"e3","parentId":"e2","timestamp":"2026-01-01T00:00:03Z","message":{"role":"toolResult","toolCallId":"t1","toolName":"bash","content":[{"type":"text","text":"a b"}],"isError":false}}
            {"type":"message","id":"e4a","parentId":"e3","timestamp":"2026-01-01T00:00:04Z","message":{"role":"assistant","model":"claude-x","content":[{"type":"text","text":"abandoned"}],"usage":{"input":1,"output":1,"cacheRead":0,"cacheWrite":0}}}
            {"type":"message","id":"e4b","parentId":"e3","timestamp":"2026-01-01T00:00:05Z","message":{"role":"assistant","model":"claude-x","content":[{"type":"thinking","thinking":"two files"},{"type":"text","text":"a and b"}],"usage":{"input":2,"output":9,"cacheRead":120,"cacheWrite":0,"reasoning":4}}}
            """;
    private static final String OPENCLAW_SESSION = """
            {"type":"session","version":3,"id":"oc-s1","timestamp":"2026-02-01T00:00:00Z","cwd":"/c"}
            {"type":"message","id":"u1","parentId":null,"timestamp":"2026-02-01T00:00:01Z","message":{"role":"user","content":"[Wed 2026-02-18 11:21 GMT+1] hello"}}
            {"type":"message","id":"a1","parentId":"u1","timestamp":"2026-02-01T00:00:02Z","message":{"role":"assistant","model":"gpt-x","content":[{"type":"text","text":"hi"}],"usage":{"input":3,"output":4,"cacheRead":0,"cacheWrite":0}}}
            """;

    /** Two forks below the first prompt (a1 with a nested fork a2/a2x, then b1) and the path's answer c1. */
    private static final String FORKED_SESSION = """
            {"type":"session","version":3,"id":"pi-forks","timestamp":"2026-01-02T00:00:00Z","cwd":"/p"}
            {"type":"message","id":"e1","parentId":null,"timestamp":"2026-01-02T00:00:01Z","message":{"role":"user","content":"hi"}}
            {"type":"message","id":"a1","parentId":"e1","timestamp":"2026-01-02T00:00:02Z","message":{"role":"assistant","content":"A"}}
            {"type":"message","id":"u2","parentId":"a1","timestamp":"2026-01-02T00:00:03Z","message":{"role":"user","content":"more"}}
            {"type":"message","id":"a2","parentId":"u2","timestamp":"2026-01-02T00:00:04Z","message":{"role":"assistant","content":"A2"}}
            {"type":"message","id":"a2x","parentId":"u2","timestamp":"2026-01-02T00:00:05Z","message":{"role":"assistant","content":"A2x"}}
            {"type":"message","id":"b1","parentId":"e1","timestamp":"2026-01-02T00:00:06Z","message":{"role":"assistant","content":"B"}}
            {"type":"message","id":"c1","parentId":"e1","timestamp":"2026-01-02T00:00:07Z","message":{"role":"assistant","content":"C"}}
            """;

    @TempDir
    Path sources;

    @Test
    void piAndOpenClawSessionsLoadWithTheirActivePath()
            throws IOException
    {
        Path pi = Files.createDirectories(sources.resolve("pi/sessions/--p--"));
        Files.writeString(pi.resolve("2026-01-01T00-00-00-000Z_pi-s1.jsonl"), PI_SESSION);
        Path openClaw = Files.createDirectories(sources.resolve("openclaw/agents/main/sessions"));
        Files.writeString(openClaw.resolve("oc-s1.jsonl.reset.2026-02-02T00-00-00.000Z"), OPENCLAW_SESSION);
        Files.writeString(openClaw.resolve("oc-s1.jsonl.full.bak"), OPENCLAW_SESSION);

        LoadReport report = new Loader(warehouse, "test").load(List.of(new SourceRoot(new PiFormat(), sources.resolve("pi")),
                new SourceRoot(new OpenClawFormat(), sources.resolve("openclaw"))), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(0, report.files().errors());

        Record piTrace = dsl.fetchOne("select source_kind, message_count, tool_call_count, final_assistant_message from sessions where trace_id = 'pi-s1'");
        assertEquals("pi_coding_agent", piTrace.get("source_kind"));
        // user, assistant, tool, the active answer: the abandoned answer is stored but not counted
        assertEquals(4, ((Number) piTrace.get("message_count")).intValue());
        assertEquals(1, ((Number) piTrace.get("tool_call_count")).intValue());
        assertEquals("a and b", piTrace.get("final_assistant_message"));
        assertEquals(List.of(0, 0, 0, 1, 0), dsl.fetch("select branch from messages where trace_id = 'pi-s1' order by ordinal")
                .getValues(0, Integer.class));
        assertEquals(2, ((Number) dsl.fetchOne("select result_ordinal from tool_calls where trace_id = 'pi-s1' and tool_call_id = 't1'").get(0)).intValue());
        // three responses, the abandoned one included; the last one's reasoning is part of its output
        assertEquals(List.of(10L, 1L, 2L), dsl.fetch("select input_tokens from token_usage where trace_id = 'pi-s1' order by message_ordinal")
                .getValues(0, Long.class));
        Record last = dsl.fetchOne("select cache_read_input_tokens, output_tokens, reasoning_output_tokens from token_usage where trace_id = 'pi-s1' and message_ordinal = 4");
        assertEquals(List.of(120L, 9L, 4L), List.of(((Number) last.get(0)).longValue(), ((Number) last.get(1)).longValue(), ((Number) last.get(2)).longValue()));

        // the archived reset transcript loads as openclaw; the .full.bak copy does not
        assertEquals(List.of("oc-s1"), dsl.fetch("select trace_id from sessions where source_kind = 'openclaw'").getValues(0, String.class));
        assertEquals(2, ((Number) dsl.fetchOne("select message_count from sessions where trace_id = 'oc-s1'").get(0)).intValue());
        assertTrue(dsl.fetchOne("select source_meta from sessions where trace_id = 'oc-s1'").get(0, String.class).contains("\"openclaw_agent_id\":\"main\""));
        assertEquals(1, ((Number) dsl.fetchOne("select count(*) from token_usage where source_kind = 'openclaw'").get(0)).intValue());
    }

    @Test
    void eachAbandonedForkIsABranchOfItsOwn()
            throws IOException
    {
        Path pi = Files.createDirectories(sources.resolve("pi/sessions/--p--"));
        Files.writeString(pi.resolve("2026-01-02T00-00-00-000Z_pi-forks.jsonl"), FORKED_SESSION);
        LoadReport report = new Loader(warehouse, "test").load(List.of(new SourceRoot(new PiFormat(), sources.resolve("pi"))),
                LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(0, report.files().errors());

        // a1's branch holds its nested fork (u2, a2, a2x); b1 left the path later in the file
        assertEquals(List.of("e1:0", "a1:1", "u2:1", "a2:1", "a2x:1", "b1:2", "c1:0"),
                dsl.fetch("select line_uuid, branch from messages where trace_id = 'pi-forks' order by ordinal")
                        .map(row -> row.get(0, String.class) + ":" + row.get(1, Integer.class)));
        assertEquals(List.of("e1", "c1"), dsl.fetch("select line_uuid from messages where trace_id = 'pi-forks' and is_active_path order by ordinal")
                .getValues(0, String.class));
        assertEquals(2, ((Number) dsl.fetchOne("select message_count from sessions where trace_id = 'pi-forks'").get(0)).intValue());
        assertEquals("C", dsl.fetchOne("select final_assistant_message from sessions where trace_id = 'pi-forks'").get(0, String.class));
    }
}
