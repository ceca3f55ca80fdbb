package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;
import org.jooq.DSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Migration V17 puts stored messages on the active path and makes the next load read every Claude Code file again
 * (a file of the same size with another mtime is read in full), so that its messages get their branches.
 */
class ActivePathMigrationTest
{
    private static final OffsetDateTime LOADED = OffsetDateTime.parse("2026-11-30T08:00:00Z");

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void storedMessagesStayOnTheActivePathAndClaudeCodeFilesAreReadAgain(TestDatabase.Kind kind)
    {
        try (TestDatabase database = TestDatabase.create(kind)) {
            OlderWarehouse.migrateTo(database.url(), "16");
            try (Warehouse warehouse = Warehouse.open(database.url())) {
                DSLContext dsl = warehouse.dsl();
                dsl.execute("insert into load_runs (run_id, started_at, status, arguments, tool_version) values (1, current_timestamp, 'succeeded', '', 'test')");
                for (String sourceKind : List.of("claude_code", "codex")) {
                    dsl.execute("insert into source_files (path, source_kind, size_bytes, modified_at, content_hash, consumed_bytes, trace_count, error_count, "
                            + "status, last_seen_at, first_run_id, last_run_id) values (?, ?, 10, "
                            + "timestamp with time zone '2026-11-30 08:00:00+00', 'h', 10, 1, 0, 'loaded', current_timestamp, 1, 1)", "/" + sourceKind + ".jsonl", sourceKind);
                }
                dsl.execute("insert into sessions (trace_id, source_kind, source_path, root_session_id, is_sidechain, source_meta, message_count, "
                        + "tool_call_count, row_hash, first_run_id, last_run_id) values ('t', 'claude_code', '/claude_code.jsonl', 't', false, '{}', 1, 0, 'h', 1, 1)");
                dsl.execute("insert into messages (trace_id, ordinal, role, text_content, is_meta, is_compact_summary, is_sidechain, is_synthetic, "
                        + "row_hash, first_run_id, last_run_id) values ('t', 0, 'user', 'Fix it', false, false, false, false, 'h', 1, 1)");

                warehouse.migrate();

                assertEquals(List.of("true 0"), dsl.select(MESSAGES.IS_ACTIVE_PATH, MESSAGES.BRANCH).from(MESSAGES)
                        .fetch(row -> row.value1() + " " + row.value2()));
                Map<String, OffsetDateTime> modified = dsl.select(SOURCE_FILES.SOURCE_KIND, SOURCE_FILES.MODIFIED_AT).from(SOURCE_FILES)
                        .fetchMap(SOURCE_FILES.SOURCE_KIND, SOURCE_FILES.MODIFIED_AT);
                assertEquals(0, modified.get("claude_code").toInstant().getEpochSecond(), "forgotten, so the file no longer looks unchanged");
                assertEquals(LOADED.toInstant(), modified.get("codex").toInstant(), "Codex files have no branches: they are not read again");
            }
        }
    }
}
