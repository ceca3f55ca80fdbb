package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;
import org.jooq.DSLContext;

import java.util.HashMap;
import java.util.Map;

import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;

/** Warehouses as a tracewh of schema version 8 left them, for tests of what this one does with them. */
public final class OlderWarehouse
{
    /** A prefix no migration file has. */
    private static final String NO_REPEATABLE_MIGRATIONS = "NONE";

    private OlderWarehouse() {}

    /** The schema version this tracewh migrates to, as a fresh warehouse reports it. */
    public static String latestVersion()
    {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2);
                Warehouse warehouse = database.open()) {
            return warehouse.schemaVersion();
        }
    }

    /**
     * Migrates the database up to {@code version} only, from this tracewh's own Flyway configuration, without the
     * views: today's repeatable migrations make views of columns that version lacks (the views an older tracewh
     * made are replaced by the next migrate anyway), and the afterMigrate callback needs one of them.
     */
    public static void migrateTo(DatabaseUrl url, String version)
    {
        try (Warehouse warehouse = Warehouse.open(url)) {
            warehouse.flyway().target(version).repeatableSqlMigrationPrefix(NO_REPEATABLE_MIGRATIONS).skipDefaultCallbacks(true).load().migrate();
        }
    }

    /**
     * Adds a session with {@code count} token usage rows to a warehouse at schema version 8, whose migration 9
     * then keys every row: the more rows, the longer that migration takes.
     */
    public static void addUsageRows(DatabaseUrl url, int count)
    {
        String numbers = url.vendor() == DatabaseUrl.Vendor.H2 ? "select \"X\" as n from system_range(1, " + count + ")"
                : "select generate_series(1, " + count + ") as n";
        try (Warehouse warehouse = Warehouse.open(url)) {
            DSLContext dsl = warehouse.dsl();
            dsl.execute("insert into load_runs (run_id, started_at, status, arguments, tool_version) values (1, current_timestamp, 'succeeded', '', 'test')");
            dsl.execute("insert into sessions (trace_id, source_kind, source_path, root_session_id, is_sidechain, source_meta, message_count, "
                    + "tool_call_count, row_hash, first_run_id, last_run_id) values ('t', 'claude_code', '/p', 't', false, '{}', 0, 0, 'h', 1, 1)");
            dsl.execute("insert into token_usage (source_kind, response_id, request_id, trace_id, input_tokens, cache_creation_input_tokens, "
                    + "cache_read_input_tokens, output_tokens, reasoning_output_tokens, row_hash, first_run_id, last_run_id) "
                    + "select 'claude_code', 'msg_' || n, 'req_' || n, 't', n, 0, 0, 1, 0, 'h', 1, 1 from (" + numbers + ") numbers");
        }
    }

    /** The usage rows of a warehouse at schema version 9 or later by response id, each with its key and input tokens. */
    public static Map<String, String> usageRows(Warehouse warehouse)
    {
        return warehouse.dsl().select(TOKEN_USAGE.RESPONSE_ID, TOKEN_USAGE.RESPONSE_KEY, TOKEN_USAGE.INPUT_TOKENS).from(TOKEN_USAGE)
                .fetchMap(TOKEN_USAGE.RESPONSE_ID, row -> row.value2() + "|" + row.value3());
    }

    /** What {@link #usageRows} returns right after migration 9 keyed the rows {@link #addUsageRows} added. */
    public static Map<String, String> expectedUsageRows(int count)
    {
        Map<String, String> rows = new HashMap<>();
        for (int n = 1; n <= count; n++) {
            rows.put("msg_" + n, ResponseKey.of("claude_code", "msg_" + n, "req_" + n) + "|" + n);
        }
        return rows;
    }
}
