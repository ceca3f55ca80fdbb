package dev.tracewh.load;

import dev.tracewh.format.geminicli.GeminiFormat;
import dev.tracewh.testing.WarehouseContract;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Gemini CLI JSONL session and its sub-agent load into the warehouse; a rewind appended later moves the cut tail off
 * the active path on the next load, and the usage of every response stays, once.
 */
public abstract class GeminiLoadContract
        extends WarehouseContract
{
    private static final String SESSION = """
            {"sessionId":"g-s1","projectHash":"h","startTime":"2026-05-01T00:00:00Z","lastUpdated":"2026-05-01T00:00:00Z","kind":"main"}
            {"id":"u1","timestamp":"2026-05-01T00:00:01Z","type":"user","content":[{"text":"list files"}]}
            {"id":"g1","timestamp":"2026-05-01T00:00:02Z","type":"gemini","content":"","toolCalls":[{"id":"t1","name":"run_shell_command","args":{"command":"ls"},"status":"executing"}],"tokens":{"input":100,"output":5,"cached":0,"thoughts":0,"tool":0,"total":105},"model":"gemini-x"}
            {"id":"g1","timestamp":"2026-05-01T00:00:02Z","type":"gemini","content":"","toolCalls":[{"id":"t1","name":"run_shell_command","args":{"command":"ls"},"status":"success","result":[{"functionResponse":{"id":"t1","name":"run_shell_command","response":{"output":"a b"}}}]}],"tokens":{"input":100,"output":5,"cached":40,"thoughts":2,"tool":0,"total":107},"model":"gemini-x"}
            {"id":"g2","timestamp":"2026-05-01T00:00:03Z","type":"gemini","content":"a and b","thoughts":[{"subject":"Count","description":"two files"}],"tokens":{"input":130,"output":9,"cached":100,"thoughts":0,"tool":0,"total":139},"model":"gemini-x"}
            {"id":"u2","timestamp":"2026-05-01T00:00:04Z","type":"user","content":"and hidden ones?"}
            {"id":"g3","timestamp":"2026-05-01T00:00:05Z","type":"gemini","content":"none","tokens":{"input":150,"output":3,"cached":0,"thoughts":0,"tool":0,"total":153},"model":"gemini-x"}
            """;
    private static final String SUB_AGENT = """
            {"sessionId":"sub-1","projectHash":"h","startTime":"2026-05-01T00:00:02Z","lastUpdated":"2026-05-01T00:00:02Z","kind":"subagent"}
            {"id":"su1","timestamp":"2026-05-01T00:00:02Z","type":"user","content":"investigate"}
            {"id":"sg1","timestamp":"2026-05-01T00:00:03Z","type":"gemini","content":"found it","tokens":{"input":10,"output":1,"cached":0,"thoughts":0,"tool":0,"total":11},"model":"gemini-x"}
            """;

    @TempDir
    Path sources;

    @Test
    void sessionSubAgentAndALaterRewind()
            throws IOException
    {
        Path chats = Files.createDirectories(sources.resolve(".gemini/tmp/app/chats"));
        Files.writeString(sources.resolve(".gemini/projects.json"), "{\"projects\":{\"/w/app\":\"app\"}}");
        Path session = Files.writeString(chats.resolve("session-2026-05-01T00-00-g-s1.jsonl"), SESSION);
        Files.createDirectories(chats.resolve("g-s1"));
        Files.writeString(chats.resolve("g-s1/sub-1.jsonl"), SUB_AGENT);
        List<SourceRoot> roots = List.of(new SourceRoot(new GeminiFormat(), sources.resolve(".gemini/tmp")));

        LoadReport report = new Loader(warehouse, "test").load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(0, report.files().errors());
        Record trace = dsl.fetchOne("select source_kind, message_count, tool_call_count, final_assistant_message, project_path from sessions where trace_id = 'g-s1'");
        assertEquals("gemini_cli", trace.get("source_kind"));
        // user, assistant (the call), tool, assistant, user, assistant
        assertEquals(6, ((Number) trace.get("message_count")).intValue());
        assertEquals(1, ((Number) trace.get("tool_call_count")).intValue());
        assertEquals("none", trace.get("final_assistant_message"));
        assertEquals("/w/app", trace.get("project_path"));
        assertEquals(2, ((Number) dsl.fetchOne("select result_ordinal from tool_calls where trace_id = 'g-s1' and tool_call_id = 't1'").get(0)).intValue());
        // g1's last copy: 100 input of which 40 cached, 2 thoughts on top of 5 output
        assertEquals(List.of(60L, 40L, 7L, 2L), dsl.fetchOne("select input_tokens, cache_read_input_tokens, output_tokens, reasoning_output_tokens "
                + "from token_usage where trace_id = 'g-s1' and message_ordinal = 1").intoList().stream().map(value -> ((Number) value).longValue()).toList());
        assertEquals(3, count("select count(*) from token_usage where trace_id = 'g-s1'"));
        Record sub = dsl.fetchOne("select root_session_id, agent_id, is_sidechain from sessions where trace_id = 'g-s1:sub-1'");
        assertEquals(List.of("g-s1", "sub-1", true), sub.intoList());

        // the user rewinds to u2: the file grows by one line, and the cut tail leaves the active path
        Files.writeString(session, "{\"$rewindTo\":\"u2\"}\n", StandardOpenOption.APPEND);
        report = new Loader(warehouse, "test").load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(0, report.files().errors());
        assertEquals(4, count("select message_count from sessions where trace_id = 'g-s1'"));
        assertEquals(List.of(0, 0, 0, 0, 1, 1), dsl.fetch("select branch from messages where trace_id = 'g-s1' order by ordinal").getValues(0, Integer.class));
        assertEquals("a and b", dsl.fetchOne("select final_assistant_message from sessions where trace_id = 'g-s1'").get(0, String.class));
        // the rewound response was billed: its usage stays
        assertEquals(3, count("select count(*) from token_usage where trace_id = 'g-s1'"));
    }

    private long count(String sql)
    {
        return ((Number) dsl.fetchOne(sql).get(0)).longValue();
    }
}
