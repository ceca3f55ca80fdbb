package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On PostgreSQL the views' JSON columns are jsonb and their token sums bigint, so BI tools and ad-hoc SQL read them
 * without casts; text that is not valid JSON does not fail a query over a view.
 */
@Tag("postgres")
class PostgresViewTypesTest
{
    private static final Map<String, List<String>> JSON_COLUMNS = Map.of(
            "v_traces", List.of("source_meta"),
            "v_messages", List.of("content"),
            "v_tool_calls", List.of("arguments"),
            "v_message_json", List.of("message_json"),
            "v_trace_digest_input", List.of("source_meta", "opening_messages", "closing_messages"),
            "v_tool_interactions", List.of("arguments"));
    private static final List<String> TOKEN_SUMS = List.of(
            "responses", "input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens", "reasoning_output_tokens",
            "cache_creation_1h_input_tokens");

    private TestDatabase database;
    private Warehouse warehouse;
    private DSLContext dsl;

    @BeforeEach
    void openWarehouse()
    {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        warehouse = Warehouse.open(database.url());
        dsl = warehouse.dsl();
    }

    @AfterEach
    void closeWarehouse()
    {
        warehouse.close();
        database.close();
    }

    @Test
    void jsonColumnsAreJsonbTokenSumsBigintAndCostsExactDecimals()
    {
        warehouse.migrate();
        Map<String, String> types = viewColumnTypes();
        JSON_COLUMNS.forEach((view, columns) -> columns.forEach(column -> assertEquals("jsonb", types.get(view + "." + column), view + "." + column)));
        TOKEN_SUMS.forEach(column -> assertEquals("bigint", types.get("v_usage_daily." + column), "v_usage_daily." + column));
        // costs are exact decimals; no other column is numeric (a sum of bigints silently is)
        types.forEach((column, type) -> {
            if (column.endsWith("_usd")) {
                assertEquals("numeric", type, column + " is an exact decimal");
            }
            else {
                assertEquals(false, type.equals("numeric") || type.equals("json"), column + " is " + type);
            }
        });
    }

    @Test
    void queriesNeedNoCastsAndTextThatIsNotJsonFailsNoQuery()
    {
        warehouse.migrate();
        insertTrace("{\"slug\":\"fix-dates\"}");
        dsl.execute("insert into messages (trace_id, ordinal, role, text_content, is_meta, is_compact_summary, is_sidechain, is_synthetic, "
                + "row_hash, first_run_id, last_run_id) values ('t', 0, 'assistant', 'Let me look.', false, false, false, false, 'h', 1, 1)");
        insertToolCall("json", 0, "{\"command\":\"ls\"}");
        // a model's malformed arguments, and a NUL escape, which jsonb refuses
        insertToolCall("truncated", 1, "{\"command\":\"ls");
        insertToolCall("nul", 2, "{\"text\":\"a\\u0000b\"}");
        for (long output : List.of(3_000_000_000L, 4_000_000_000L)) {
            dsl.execute("insert into token_usage (source_kind, response_id, request_id, response_key, trace_id, model, created_at, input_tokens, "
                    + "cache_creation_input_tokens, cache_read_input_tokens, output_tokens, reasoning_output_tokens, row_hash, first_run_id, last_run_id) "
                    + "values ('codex', ?, '', ?, 't', 'gpt-5', timestamp with time zone '2026-03-02 10:00:00+00', 1, 0, 0, ?, 0, 'h', 1, 1)",
                    "resp_" + output, ResponseKey.of("codex", "resp_" + output, ""), output);
        }

        // a sessions-index.json prompt may hold a NUL escape
        insertSession("nul", "{\"first_prompt\":\"a\\u0000b\"}");

        assertEquals("fix-dates", dsl.fetchValue("select source_meta->>'slug' from v_traces where trace_id = 't'"));
        assertEquals("fix-dates", dsl.fetchValue("select source_meta->>'slug' from v_trace_digest_input where trace_id = 't'"));
        assertEquals(List.of("nul:string", "t:object"),
                dsl.fetchValues("select trace_id || ':' || jsonb_typeof(source_meta) from v_traces order by trace_id"));
        assertEquals(List.of("nul:string", "t:object"),
                dsl.fetchValues("select trace_id || ':' || jsonb_typeof(source_meta) from v_trace_digest_input order by trace_id"));
        assertEquals("Let me look.", dsl.fetchValue("select content->0->>'text' from v_messages"));
        assertEquals("assistant", dsl.fetchValue("select opening_messages->0->>'role' from v_trace_digest_input where trace_id = 't'"));
        assertEquals(List.of("{\"command\":\"ls\"}", "{\"command\":\"ls", "{\"text\":\"a\\u0000b\"}"),
                dsl.fetchValues("select jsonb_array_elements(message_json->'tool_calls')->'function'->>'arguments' from v_message_json"),
                "arguments in chat messages stay the JSON text the model wrote");
        assertEquals(List.of("json:object:ls", "nul:string:{\"text\":\"a\\u0000b\"}", "truncated:string:{\"command\":\"ls"),
                dsl.fetchValues("select tool_call_id || ':' || jsonb_typeof(arguments) || ':' || coalesce(arguments->>'command', arguments#>>'{}') "
                        + "from v_tool_calls order by tool_call_id"));
        assertEquals(3L, dsl.fetchValue("select count(*) from v_tool_interactions where jsonb_typeof(arguments) is not null"));
        assertEquals("bigint:7000000000", dsl.fetchValue("select pg_typeof(output_tokens) || ':' || output_tokens from v_usage_daily"));
    }

    /**
     * A warehouse made before the views had these types keeps its rows, and its views change type: PostgreSQL changes
     * no view column's type in place, so V12 drops the views of the text generation for the repeatable migrations
     * to make again.
     */
    @Test
    void theViewsOfAnOlderWarehouseChangeType()
    {
        OlderWarehouse.migrateTo(database.url(), "11");
        insertTrace("{\"slug\":\"fix-dates\"}");
        // two views as the text generation made them: source_meta as stored, token sums as PostgreSQL sums bigints
        dsl.execute("create view v_traces as select trace_id, source_kind, source_path, root_session_id, agent_id, is_sidechain, cwd, project_path, "
                + "git_branch, started_at, ended_at, source_meta, message_count, tool_call_count, final_assistant_message, title, summary, models, "
                + "tool_versions from sessions");
        dsl.execute("create view v_usage_daily as select cast(created_at at time zone 'UTC' as date) as \"day\", source_kind, model, count(*) as responses, "
                + "sum(input_tokens) as input_tokens, sum(cache_creation_input_tokens) as cache_creation_input_tokens, "
                + "sum(cache_read_input_tokens) as cache_read_input_tokens, sum(output_tokens) as output_tokens, "
                + "sum(reasoning_output_tokens) as reasoning_output_tokens from token_usage group by cast(created_at at time zone 'UTC' as date), source_kind, model");

        warehouse.migrate();

        Map<String, String> types = viewColumnTypes();
        assertEquals("jsonb", types.get("v_traces.source_meta"));
        assertEquals("bigint", types.get("v_usage_daily.output_tokens"));
        assertEquals("fix-dates", dsl.fetchValue("select source_meta->>'slug' from v_traces"));
    }

    private Map<String, String> viewColumnTypes()
    {
        Map<String, String> types = new TreeMap<>();
        dsl.fetch("select table_name || '.' || column_name, data_type from information_schema.columns "
                        + "where table_schema = current_schema() and starts_with(table_name, 'v_')")
                .forEach(row -> types.put(row.get(0, String.class), row.get(1, String.class)));
        return types;
    }

    private void insertTrace(String sourceMeta)
    {
        dsl.execute("insert into load_runs (run_id, started_at, status, arguments, tool_version) values (1, current_timestamp, 'succeeded', '', 'test')");
        insertSession("t", sourceMeta);
    }

    private void insertSession(String traceId, String sourceMeta)
    {
        dsl.execute("insert into sessions (trace_id, source_kind, source_path, root_session_id, is_sidechain, source_meta, message_count, "
                + "tool_call_count, row_hash, first_run_id, last_run_id) values (?, 'codex', '/p', ?, false, ?, 1, 3, 'h', 1, 1)", traceId, traceId, sourceMeta);
    }

    private void insertToolCall(String id, int callIndex, String arguments)
    {
        dsl.execute("insert into tool_calls (trace_id, tool_call_id, message_ordinal, call_index, name, arguments, row_hash, first_run_id, last_run_id) "
                + "values ('t', ?, 0, ?, 'shell', ?, 'h', 1, 1)", id, callIndex, arguments);
    }
}
