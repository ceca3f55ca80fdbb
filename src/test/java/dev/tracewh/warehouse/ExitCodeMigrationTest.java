package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;
import org.jooq.DSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.tracewh.warehouse.schema.Tables.V_TOOL_CALLS;
import static dev.tracewh.warehouse.schema.Tables.V_TOOL_INTERACTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Migration V10 widens the exit codes of stored tool calls to bigint and keeps the views that show them. */
class ExitCodeMigrationTest
{
    private static final long BEYOND_AN_INT = 99_999_999_999L;

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void storedExitCodesAndTheViewsOverThemSurviveTheWidening(TestDatabase.Kind kind)
    {
        try (TestDatabase database = TestDatabase.create(kind)) {
            OlderWarehouse.migrateTo(database.url(), "9");
            try (Warehouse warehouse = Warehouse.open(database.url())) {
                DSLContext dsl = warehouse.dsl();
                // v_tool_calls as tracewh made it at that version, over the column V10 widens
                dsl.execute("create view v_tool_calls as select c.trace_id, c.tool_call_id, c.message_ordinal, c.call_index, c.result_ordinal, c.name, "
                        + "c.arguments, coalesce(c.result_text, r.text_content) as result_text, c.is_error, c.exit_code, c.duration_seconds, c.called_at, "
                        + "c.first_run_id, c.last_run_id from tool_calls c left join messages r on r.trace_id = c.trace_id and r.ordinal = c.result_ordinal");
                dsl.execute("insert into load_runs (run_id, started_at, status, arguments, tool_version) values (1, current_timestamp, 'succeeded', '', 'test')");
                dsl.execute("insert into sessions (trace_id, source_kind, source_path, root_session_id, is_sidechain, source_meta, message_count, "
                        + "tool_call_count, row_hash, first_run_id, last_run_id) values ('t', 'claude_code', '/p', 't', false, '{}', 2, 2, 'h', 1, 1)");
                for (int ordinal = 0; ordinal < 2; ordinal++) {
                    dsl.execute("insert into messages (trace_id, ordinal, role, text_content, is_meta, is_compact_summary, is_sidechain, is_synthetic, "
                            + "row_hash, first_run_id, last_run_id) values ('t', ?, ?, 'text', false, false, false, false, 'h', 1, 1)",
                            ordinal, ordinal == 0 ? "assistant" : "tool");
                }
                for (String id : List.of("stored", "widened")) {
                    dsl.execute("insert into tool_calls (trace_id, tool_call_id, message_ordinal, call_index, result_ordinal, name, arguments, "
                            + "is_error, exit_code, row_hash, first_run_id, last_run_id) values ('t', ?, 0, 0, 1, 'Bash', '{}', true, 2, 'h', 1, 1)", id);
                }

                warehouse.migrate();

                dsl.execute("update tool_calls set exit_code = ? where tool_call_id = 'widened'", BEYOND_AN_INT);
                assertEquals(List.of(2L, BEYOND_AN_INT),
                        dsl.select(V_TOOL_CALLS.EXIT_CODE).from(V_TOOL_CALLS).orderBy(V_TOOL_CALLS.TOOL_CALL_ID).fetch(V_TOOL_CALLS.EXIT_CODE));
                assertEquals(List.of(2L, BEYOND_AN_INT),
                        dsl.select(V_TOOL_INTERACTIONS.EXIT_CODE).from(V_TOOL_INTERACTIONS).orderBy(V_TOOL_INTERACTIONS.TOOL_CALL_ID)
                                .fetch(V_TOOL_INTERACTIONS.EXIT_CODE));
            }
        }
    }
}
