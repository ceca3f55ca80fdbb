package dev.tracewh.load;

import dev.tracewh.format.Environment;
import dev.tracewh.format.amp.AmpFormat;
import dev.tracewh.format.amp.AmpThreads;
import dev.tracewh.testing.WarehouseContract;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Amp threads load from Amp's default folder like any session (no Amp fixture is public, so the threads are
 * {@link AmpThreads}), and a thread rewritten in place, longer or shorter, replaces its rows: usage keyed by message
 * id is never counted twice.
 */
public abstract class AmpLoadContract
        extends WarehouseContract
{
    @TempDir
    Path home;

    @Test
    void theThreadsLoadWholeFromAmpsDefaultFolder()
            throws IOException
    {
        Path threads = threads();
        AmpThreads.writeAll(threads);
        load(threads);

        assertEquals(4L, count("select count(*) from sessions where source_kind = 'amp'"));
        // 8 + 4 + 4 + 0 messages (AmpFormatTest): users 2 + 2 + 1, assistants 3 + 2 + 2, tool results 3 + 0 + 1
        assertEquals(16L, count("select sum(message_count) from sessions where source_kind = 'amp'"));
        assertEquals(List.of("assistant:7", "tool:4", "user:5"), dsl.fetch("""
                select m.role, count(*) from messages m join sessions s on s.trace_id = m.trace_id
                where s.source_kind = 'amp' group by m.role order by m.role""").map(row -> row.get(0) + ":" + row.get(1)));
        assertEquals(4L, count("select count(*) from tool_calls t join sessions s on s.trace_id = t.trace_id where s.source_kind = 'amp'"));
        assertEquals(2L, count("select count(*) from tool_calls t join sessions s on s.trace_id = t.trace_id where s.source_kind = 'amp' and t.is_error"),
                "the error and the cancelled run");
        assertEquals(7L, count("select count(*) from token_usage where source_kind = 'amp'"), "3 + 2 assistant usages and 2 ledger events");
        // per UTC day: the ledger's 2120 + 30 (its second event's total above its buckets is not billed); the current
        // thread's 9513 and the gpt answer's 2150; the old usage after midnight, 550
        assertEquals(List.of("2025-06-01:2150", "2026-01-01:11663", "2026-01-02:550"), dsl.fetch("""
                select "day", sum(input_tokens + cache_creation_input_tokens + cache_read_input_tokens + output_tokens)
                from v_usage_daily where source_kind = 'amp' group by "day" order by "day"
                """).map(row -> row.get(0) + ":" + ((Number) row.get(1)).longValue()));
        Record current = dsl.fetchOne("select * from sessions where trace_id = '" + AmpThreads.CURRENT + "'");
        assertEquals("fix/flaky", current.get("git_branch"));
        assertEquals("/home/u/my repo", current.get("cwd"));
    }

    @Test
    void aThreadRewrittenInPlaceReplacesItsRows()
            throws IOException
    {
        Path threads = threads();
        AmpThreads.writeAll(threads);
        load(threads);

        Path gpt = threads.resolve(AmpThreads.GPT + ".json");
        Files.writeString(gpt, AmpThreads.GPT_THREAD.replace("""
                 "usage": {"inputTokens": 20, "outputTokens": 30, "cacheCreationInputTokens": 0, "cacheReadInputTokens": 500}}
                """, """
                 "usage": {"inputTokens": 20, "outputTokens": 30, "cacheCreationInputTokens": 0, "cacheReadInputTokens": 500}},
                {"role": "user", "messageId": 4, "content": [{"type": "text", "text": "Thanks"}], "meta": {"sentAt": 1767312100000}},
                {"role": "assistant", "messageId": 5, "content": [{"type": "text", "text": "You are welcome."}],
                 "usage": {"model": "gpt-5", "timestamp": "2026-01-02T00:02:00Z", "inputTokens": 0, "outputTokens": 5, "cacheCreationInputTokens": 10, "cacheReadInputTokens": 0}}
                """).replace("\"v\": 7", "\"v\": 9"));
        Path current = threads.resolve(AmpThreads.CURRENT + ".json");
        Files.writeString(current, """
                {"v": 50, "id": "%s", "created": 1767225600000, "title": "Fix flaky test (reverted)",
                 "messages": [{"role": "user", "messageId": 0, "content": [{"type": "text", "text": "Fix the flaky test"}], "meta": {"sentAt": 1767225600000}},
                              {"role": "assistant", "messageId": 1, "content": [{"type": "text", "text": "On it."}],
                               "usage": {"model": "claude-sonnet-4-5", "timestamp": "2026-01-01T00:00:05Z", "inputTokens": 10, "outputTokens": 200,
                                         "cacheCreationInputTokens": 3000, "cacheReadInputTokens": 0}}]}
                """.formatted(AmpThreads.CURRENT));
        load(threads);

        assertEquals(6L, count("select message_count from sessions where trace_id = '" + AmpThreads.GPT + "'"));
        assertEquals(3L, count("select count(*) from token_usage where trace_id = '" + AmpThreads.GPT + "'"), "the two earlier usages are not added again");
        assertEquals(2L, count("select message_count from sessions where trace_id = '" + AmpThreads.CURRENT + "'"));
        assertEquals(1L, count("select count(*) from token_usage where trace_id = '" + AmpThreads.CURRENT + "'"));
        assertEquals(0L, count("select count(*) from tool_calls where trace_id = '" + AmpThreads.CURRENT + "'"));
        assertEquals(6L, count("select count(*) from token_usage where source_kind = 'amp'"));
    }

    @Test
    void aBrokenMessageIsAnErrorRowNamingFileAndLineAndTheThreadLoads()
            throws IOException
    {
        Path threads = threads();
        Files.createDirectories(threads);
        Path file = threads.resolve("T-broken.json");
        Files.writeString(file, """
                {
                  "id": "T-broken",
                  "messages": [
                    {"role": "user", "messageId": 0, "content": "hi", "meta": {"sentAt": 1767225600000}},
                    {"role": "assistant", "messageId": 1, "content": [{"type": "text", "text": "hello"}],
                     "usage": {"model": "m", "timestamp": "2026-01-01T00:00:01Z", "inputTokens": "many", "outputTokens": 2}}
                  ]
                }
                """);
        LoadReport report = new Loader(warehouse, "test").load(List.of(new SourceRoot(new AmpFormat(), threads)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(1, report.files().errors());
        // the usage's message starts on line 5 of the document
        assertEquals(List.of(file.toRealPath() + ":5:invalid_count"), dsl.fetch("select source_path, line_number, error_class from load_errors")
                .map(row -> row.get(0) + ":" + row.get(1) + ":" + row.get(2)));
        assertEquals(2L, count("select message_count from sessions where trace_id = 'T-broken'"));
        assertEquals(0L, count("select count(*) from token_usage where trace_id = 'T-broken'"));
    }

    private Path threads()
    {
        return new AmpFormat().defaultRoots(new Environment(home, Map.of())).getFirst();
    }

    private void load(Path root)
            throws IOException
    {
        LoadReport report = new Loader(warehouse, "test").load(List.of(new SourceRoot(new AmpFormat(), root)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(0, report.files().errors(), "the threads load without errors");
        assertEquals(0, report.files().failed(), "no file fails");
    }

    private long count(String sql)
    {
        return ((Number) dsl.fetchValue(sql)).longValue();
    }
}
