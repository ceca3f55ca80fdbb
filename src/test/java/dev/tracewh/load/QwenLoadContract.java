package dev.tracewh.load;

import dev.tracewh.format.qwencode.QwenCodeFormat;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.WarehouseContract;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Qwen Code chats load into the warehouse: a rewound session keeps its abandoned answer off the active path, usage is
 * counted once (not again from telemetry), an appended file loads incrementally, and the fixtures' tokens per day are
 * what reading them by hand gives.
 */
public abstract class QwenLoadContract
        extends WarehouseContract
{
    private static final String SESSION = """
            {"uuid":"u1","parentUuid":null,"sessionId":"q1","timestamp":"2026-03-01T10:00:00Z","type":"user","cwd":"/p","version":"0.22.0","message":{"role":"user","parts":[{"text":"list files"}]}}
            {"uuid":"a1","parentUuid":"u1","sessionId":"q1","timestamp":"2026-03-01T10:00:01Z","type":"assistant","cwd":"/p","version":"0.22.0","model":"qwen3-coder-plus","message":{"role":"model","parts":[{"text":"let me look","thought":true},{"functionCall":{"id":"c1","name":"list_directory","args":{"path":"/p"}}}]},"usageMetadata":{"promptTokenCount":100,"cachedContentTokenCount":80,"candidatesTokenCount":10,"thoughtsTokenCount":3,"totalTokenCount":113}}
            {"uuid":"t1","parentUuid":"a1","sessionId":"q1","timestamp":"2026-03-01T10:00:02Z","type":"system","subtype":"ui_telemetry","cwd":"/p","version":"0.22.0","systemPayload":{"uiEvent":{"event.name":"qwen-code.api_response","input_token_count":100,"output_token_count":10,"cached_content_token_count":80,"thoughts_token_count":3,"total_token_count":113}}}
            {"uuid":"r1","parentUuid":"t1","sessionId":"q1","timestamp":"2026-03-01T10:00:03Z","type":"tool_result","cwd":"/p","version":"0.22.0","message":{"role":"user","parts":[{"functionResponse":{"id":"c1","name":"list_directory","response":{"output":"a b"}}}]},"toolCallResult":{"callId":"c1","status":"success","resultDisplay":"a b"}}
            {"uuid":"a2","parentUuid":"r1","sessionId":"q1","timestamp":"2026-03-01T10:00:04Z","type":"assistant","cwd":"/p","version":"0.22.0","model":"qwen3-coder-plus","message":{"role":"model","parts":[{"text":"abandoned"}]},"usageMetadata":{"promptTokenCount":20,"candidatesTokenCount":2,"totalTokenCount":22}}
            {"uuid":"w1","parentUuid":"r1","sessionId":"q1","timestamp":"2026-03-01T10:00:05Z","type":"system","subtype":"rewind","cwd":"/p","version":"0.22.0","systemPayload":{"truncatedCount":1}}
            """;
    private static final String CONTINUATION = """
            {"uuid":"a3","parentUuid":"w1","sessionId":"q1","timestamp":"2026-03-01T10:00:06Z","type":"assistant","cwd":"/p","version":"0.22.0","model":"qwen3-coder-plus","message":{"role":"model","parts":[{"text":"a and b"}]},"usageMetadata":{"promptTokenCount":30,"candidatesTokenCount":4,"totalTokenCount":34}}
            {"uuid":"m1","parentUuid":"a3","sessionId":"q1","timestamp":"2026-03-01T10:00:07Z","type":"system","subtype":"custom_title","cwd":"/p","version":"0.22.0","systemPayload":{"customTitle":"Listing","titleSource":"auto"}}
            """;

    @TempDir
    Path sources;

    @Test
    void rewoundSessionLoadsWithItsActivePathAndGrowsIncrementally()
            throws IOException
    {
        Path chats = Files.createDirectories(sources.resolve("projects/-p/chats"));
        Path file = Files.writeString(chats.resolve("q1.jsonl"), SESSION);
        assertEquals(0, load().files().errors());

        // before the continuation the rewind is the leaf: the abandoned answer is off the path already
        Record session = dsl.fetchOne("select message_count, tool_call_count, final_assistant_message from sessions where trace_id = 'q1'");
        assertEquals(3, ((Number) session.get(0)).intValue());
        assertEquals(1, ((Number) session.get(1)).intValue());
        assertEquals(List.of("u1:0", "a1:0", "r1:0", "a2:1"),
                dsl.fetch("select line_uuid, branch from messages where trace_id = 'q1' order by ordinal")
                        .map(row -> row.get(0, String.class) + ":" + row.get(1, Integer.class)));

        Files.writeString(file, CONTINUATION, StandardOpenOption.APPEND);
        LoadReport second = load();
        assertEquals(0, second.files().errors());
        session = dsl.fetchOne("select message_count, final_assistant_message, title from sessions where trace_id = 'q1'");
        assertEquals(4, ((Number) session.get(0)).intValue());
        assertEquals("a and b", session.get(1));
        assertEquals("Listing", session.get(2));
        assertEquals(2, ((Number) dsl.fetchOne("select result_ordinal from tool_calls where trace_id = 'q1' and tool_call_id = 'c1'").get(0)).intValue());
        // three responses (the abandoned one was billed too), none from the telemetry record; cached tokens out of the input
        assertEquals(List.of("20 80 13 3", "20 0 2 0", "30 0 4 0"),
                dsl.fetch("select input_tokens, cache_read_input_tokens, output_tokens, reasoning_output_tokens from token_usage where trace_id = 'q1' order by message_ordinal")
                        .map(row -> row.get(0, Long.class) + " " + row.get(1, Long.class) + " " + row.get(2, Long.class) + " " + row.get(3, Long.class)));
    }

    @Test
    void fixturesLoadWithTheirTokensPerDay()
            throws IOException
    {
        Path chats = Files.createDirectories(sources.resolve("projects/-tmp-fixtures/chats"));
        try (Stream<Path> files = Files.walk(SharedFixtures.path("qwen_code"))) {
            for (Path fixture : files.filter(path -> path.toString().endsWith(".jsonl")).toList()) {
                Files.copy(fixture, chats.resolve(fixture.getFileName()));
            }
        }
        LoadReport report = load();
        assertEquals(7, report.files().loaded());
        assertEquals(0, report.files().errors());
        assertEquals(7, dsl.fetchCount(dsl.selectFrom("sessions")));
        // 2026-06-15: the splitrail file, 500 + (600 - 50 cached) prompt, 20 + 5 output; 2026-08-17: the rewound fixture's 12/4
        assertEquals(List.of("2026-06-15 1050 50 25", "2026-08-17 12 0 4"),
                dsl.fetch("select cast(created_at as date), sum(input_tokens), sum(cache_read_input_tokens), sum(output_tokens) from token_usage "
                                + "group by cast(created_at as date) order by 1")
                        .map(row -> row.get(0) + " " + ((Number) row.get(1)).longValue() + " " + ((Number) row.get(2)).longValue() + " " + ((Number) row.get(3)).longValue()));
    }

    private LoadReport load()
            throws IOException
    {
        return new Loader(warehouse, "test").load(List.of(new SourceRoot(new QwenCodeFormat(), sources.resolve("projects"))),
                LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
    }
}
