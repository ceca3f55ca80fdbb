package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Migration V9 keys the usage rows stored before it exactly as the loader keys new ones. */
class ResponseKeyMigrationTest
{
    /**
     * Response ids whose keys cover both signs, with and without a request id, non-ASCII text, and two responses
     * whose ids joined by a newline would be the same string.
     */
    private static final List<List<String>> RESPONSES = List.of(
            List.of("claude_code", "msg_01", "req_01"),
            List.of("claude_code", "msg_02", ""),
            List.of("codex", "resp_ünïcødé_🙂", "turn-7"),
            List.of("codex", "resp_4", ""),
            List.of("claude_code", "msg_05", "req_05"),
            List.of("claude_code", "msg_06", "req_06"),
            List.of("claude_code", "joined\nby", "newline"),
            List.of("claude_code", "joined", "by\nnewline"));

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void storedUsageRowsGetTheKeysTheLoaderComputes(TestDatabase.Kind kind)
    {
        try (TestDatabase database = TestDatabase.create(kind)) {
            OlderWarehouse.migrateTo(database.url(), "8");
            try (Warehouse warehouse = Warehouse.open(database.url())) {
                DSLContext dsl = warehouse.dsl();
                dsl.execute("insert into load_runs (run_id, started_at, status, arguments, tool_version) values (1, current_timestamp, 'succeeded', '', 'test')");
                dsl.execute("insert into sessions (trace_id, source_kind, source_path, root_session_id, is_sidechain, source_meta, message_count, "
                        + "tool_call_count, row_hash, first_run_id, last_run_id) values ('t', 'claude_code', '/p', 't', false, '{}', 0, 0, 'h', 1, 1)");
                for (List<String> response : RESPONSES) {
                    dsl.execute("insert into token_usage (source_kind, response_id, request_id, trace_id, input_tokens, cache_creation_input_tokens, "
                            + "cache_read_input_tokens, output_tokens, reasoning_output_tokens, row_hash, first_run_id, last_run_id) "
                            + "values (?, ?, ?, 't', 1, 0, 0, 1, 0, 'h', 1, 1)", response.get(0), response.get(1), response.get(2));
                }

                warehouse.migrate();

                Map<String, Long> expected = RESPONSES.stream().collect(Collectors.toMap(response -> response.get(1),
                        response -> ResponseKey.of(response.get(0), response.get(1), response.get(2))));
                Map<String, Long> migrated = dsl.select(TOKEN_USAGE.RESPONSE_ID, TOKEN_USAGE.RESPONSE_KEY).from(TOKEN_USAGE)
                        .fetchMap(TOKEN_USAGE.RESPONSE_ID, TOKEN_USAGE.RESPONSE_KEY);
                assertEquals(expected, migrated);
                assertEquals(2, expected.values().stream().collect(Collectors.groupingBy(Long::signum)).size(),
                        "keys of both signs");
                assertEquals(RESPONSES.size(), Set.copyOf(expected.values()).size(), "a key per response");
                assertThrows(DataAccessException.class, () -> dsl.insertInto(TOKEN_USAGE)
                        .set(dsl.selectFrom(TOKEN_USAGE).limit(1).fetchSingle())
                        .set(TOKEN_USAGE.RESPONSE_ID, "another")
                        .execute(), "one row per key");
            }
        }
    }
}
