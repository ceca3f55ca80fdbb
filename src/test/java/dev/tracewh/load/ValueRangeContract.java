package dev.tracewh.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.export.TraceExporter;
import dev.tracewh.format.LineValues;
import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.secrets.SecretFilter;
import dev.tracewh.testing.WarehouseContract;
import dev.tracewh.warehouse.LoadRunStore;
import org.jooq.Record2;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.tracewh.warehouse.schema.Tables.LOAD_ERRORS;
import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static dev.tracewh.warehouse.schema.Tables.V_TOOL_CALLS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Values no warehouse column holds as given (exit codes beyond an int, timestamps outside 1970..9999, token counts
 * that are not counts) never fail their file and are stored alike on every database: the file loads, the bad value
 * is an issue of its line in {@code load_errors}, and what was loaded still sums and exports.
 */
abstract class ValueRangeContract
        extends WarehouseContract
{
    private static final String SESSION = "0a0b0c0d-1111-2222-3333-444455556666";

    @TempDir
    Path projects;



    @Test
    void exitCodesBeyondAnIntAreStoredAndOnesBeyondALongAreNullWithTheirTextKept()
            throws IOException
    {
        writeSession("""
                {"type":"assistant","uuid":"a1","sessionId":"%1$s","timestamp":"2025-07-01T10:00:00.000Z","message":{"id":"msg_1","model":"m","content":[{"type":"tool_use","id":"t1","name":"Bash","input":{}},{"type":"tool_use","id":"t2","name":"Bash","input":{}}]}}
                {"type":"user","uuid":"u1","sessionId":"%1$s","timestamp":"2025-07-01T10:00:01.000Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":"Exit code 99999999999\\nfailed"}]}}
                {"type":"user","uuid":"u2","sessionId":"%1$s","timestamp":"2025-07-01T10:00:02.000Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t2","is_error":true,"content":"Exit code 99999999999999999999999\\nfailed"}]}}
                """.formatted(SESSION));
        LoadReport report = load();

        assertEquals(LoadRunStore.Status.SUCCEEDED, report.status(), errors().toString());
        assertEquals(Arrays.asList(99_999_999_999L, null),
                dsl.select(TOOL_CALLS.EXIT_CODE).from(TOOL_CALLS).orderBy(TOOL_CALLS.TOOL_CALL_ID).fetch(TOOL_CALLS.EXIT_CODE));
        assertEquals(List.of("Exit code 99999999999\nfailed", "Exit code 99999999999999999999999\nfailed"),
                dsl.select(V_TOOL_CALLS.RESULT_TEXT).from(V_TOOL_CALLS).orderBy(V_TOOL_CALLS.TOOL_CALL_ID).fetch(V_TOOL_CALLS.RESULT_TEXT));
        assertEquals(Arrays.asList(99_999_999_999L, null),
                dsl.select(V_TOOL_CALLS.EXIT_CODE).from(V_TOOL_CALLS).orderBy(V_TOOL_CALLS.TOOL_CALL_ID).fetch(V_TOOL_CALLS.EXIT_CODE));
    }

    @Test
    void timestampsOutsideTheRangeAreLineIssuesStoredAsNullAndTheWarehouseStillExports()
            throws IOException
    {
        writeSession("""
                {"type":"user","uuid":"u1","sessionId":"%1$s","timestamp":"2025-07-01T10:00:00.000Z","message":{"role":"user","content":"first"}}
                {"type":"user","uuid":"u2","parentUuid":"u1","sessionId":"%1$s","timestamp":"-0001-06-01T00:00:00Z","message":{"role":"user","content":"negative year"}}
                {"type":"user","uuid":"u3","parentUuid":"u2","sessionId":"%1$s","timestamp":"+300000-01-01T00:00:00Z","message":{"role":"user","content":"year 300000"}}
                {"type":"assistant","uuid":"a1","parentUuid":"u3","sessionId":"%1$s","requestId":"r1","timestamp":"2025-07-01T10:00:05.000Z","message":{"id":"msg_1","model":"m","content":[{"type":"text","text":"last"}]}}
                """.formatted(SESSION));
        LoadReport report = load();

        assertEquals(LoadRunStore.Status.PARTIAL, report.status());
        assertEquals(Map.of(2L, LineValues.OUT_OF_RANGE, 3L, LineValues.OUT_OF_RANGE), errorClasses());
        assertEquals(Arrays.asList(utc("2025-07-01T10:00:00Z"), null, null, utc("2025-07-01T10:00:05Z")), createdAt());
        Record2<OffsetDateTime, OffsetDateTime> span = dsl.select(SESSIONS.STARTED_AT, SESSIONS.ENDED_AT).from(SESSIONS).fetchSingle();
        assertEquals(utc("2025-07-01T10:00:00Z"), span.value1().withOffsetSameInstant(ZoneOffset.UTC));
        assertEquals(utc("2025-07-01T10:00:05Z"), span.value2().withOffsetSameInstant(ZoneOffset.UTC));

        ByteArrayOutputStream exported = new ByteArrayOutputStream();
        assertEquals(1, new TraceExporter(dsl, new ObjectMapper(), SecretFilter.keepingSecrets(), false).export(DSL.noCondition(), exported));
        JsonNode trace = new ObjectMapper().readTree(exported.toString(StandardCharsets.UTF_8));
        assertEquals("2025-07-01T10:00:00Z", trace.get("started_at").textValue());
        assertEquals(4, trace.get("messages").size());
    }

    @Test
    void aTimestampInYear600000IsStoredAsNullNotAsAWrappedDate()
            throws IOException
    {
        writeSession("""
                {"type":"user","uuid":"u1","sessionId":"%1$s","timestamp":"+600000-01-01T00:00:00Z","message":{"role":"user","content":"year 600000"}}
                """.formatted(SESSION));
        load();

        assertEquals(Map.of(1L, LineValues.OUT_OF_RANGE), errorClasses());
        assertEquals(Arrays.asList((OffsetDateTime) null), createdAt());
        assertEquals(0, dsl.fetchCount(SESSIONS, SESSIONS.STARTED_AT.isNotNull().or(SESSIONS.ENDED_AT.isNotNull())));
    }

    @Test
    void tokenCountsThatAreNotCountsAreLineIssuesAndTheUsageThatLoadedStillSums()
            throws IOException
    {
        StringBuilder jsonl = new StringBuilder();
        List<String> outputTokens = List.of("9223372036854775807", "\"123\"", "1e400", "99999999999999999999999", "20");
        for (int i = 0; i < outputTokens.size(); i++) {
            jsonl.append("""
                    {"type":"assistant","uuid":"a%1$d","sessionId":"%2$s","requestId":"r%1$d","timestamp":"2025-07-01T10:00:0%1$d.000Z","message":{"id":"msg_%1$d","model":"m","content":[{"type":"text","text":"answer %1$d"}],"usage":{"input_tokens":4,"cache_creation_input_tokens":7,"cache_read_input_tokens":50,"output_tokens":%3$s}}}
                    """.formatted(i + 1, SESSION, outputTokens.get(i)));
        }
        writeSession(jsonl.toString());
        LoadReport report = load();

        assertEquals(LoadRunStore.Status.PARTIAL, report.status());
        assertEquals(Map.of(1L, LineValues.INVALID_COUNT, 2L, LineValues.INVALID_COUNT, 3L, LineValues.INVALID_COUNT, 4L, LineValues.INVALID_COUNT),
                errorClasses());
        assertEquals(5, dsl.fetchCount(MESSAGES));
        assertEquals(List.of("msg_5"), dsl.select(TOKEN_USAGE.RESPONSE_ID).from(TOKEN_USAGE).fetch(TOKEN_USAGE.RESPONSE_ID));
        // the total the tokens_per_tool_call judge sums
        assertEquals(81L, dsl.select(DSL.sum(TOKEN_USAGE.INPUT_TOKENS.plus(TOKEN_USAGE.CACHE_CREATION_INPUT_TOKENS)
                .plus(TOKEN_USAGE.CACHE_READ_INPUT_TOKENS).plus(TOKEN_USAGE.OUTPUT_TOKENS))).from(TOKEN_USAGE).fetchOne().value1().longValue());
    }

    private LoadReport load()
            throws IOException
    {
        return new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), projects)), LoadOptions.INCREMENTAL, "test",
                LoadListener.NONE);
    }

    private void writeSession(String jsonl)
            throws IOException
    {
        Files.writeString(projects.resolve(SESSION + ".jsonl"), jsonl);
    }

    private Map<Long, String> errorClasses()
    {
        return dsl.select(LOAD_ERRORS.LINE_NUMBER, LOAD_ERRORS.ERROR_CLASS).from(LOAD_ERRORS).fetchMap(LOAD_ERRORS.LINE_NUMBER, LOAD_ERRORS.ERROR_CLASS);
    }

    private List<String> errors()
    {
        return dsl.select(LOAD_ERRORS.MESSAGE).from(LOAD_ERRORS).fetch(LOAD_ERRORS.MESSAGE);
    }

    private List<OffsetDateTime> createdAt()
    {
        return dsl.select(MESSAGES.CREATED_AT).from(MESSAGES).orderBy(MESSAGES.ORDINAL).fetch(MESSAGES.CREATED_AT).stream()
                .map(created -> created == null ? null : created.withOffsetSameInstant(ZoneOffset.UTC))
                .toList();
    }

    private static OffsetDateTime utc(String instant)
    {
        return OffsetDateTime.parse(instant).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
