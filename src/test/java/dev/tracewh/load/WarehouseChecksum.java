package dev.tracewh.load;

import org.jooq.DSLContext;

import java.util.Map;
import java.util.TreeMap;

import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;

/**
 * The content of a warehouse as comparable data: every row's natural key and content hash (which covers every
 * column but the run ids), so two warehouses loaded by different runs compare equal when they hold the same data.
 */
final class WarehouseChecksum
{
    private WarehouseChecksum() {}

    static Map<String, String> of(DSLContext dsl)
    {
        Map<String, String> rows = new TreeMap<>();
        dsl.select(SESSIONS.TRACE_ID, SESSIONS.ROW_HASH).from(SESSIONS)
                .forEach(row -> rows.put("sessions|" + row.value1(), row.value2()));
        dsl.select(MESSAGES.TRACE_ID, MESSAGES.ORDINAL, MESSAGES.ROW_HASH).from(MESSAGES)
                .forEach(row -> rows.put("messages|" + row.value1() + "|" + row.value2(), row.value3()));
        dsl.select(TOOL_CALLS.TRACE_ID, TOOL_CALLS.TOOL_CALL_ID, TOOL_CALLS.ROW_HASH).from(TOOL_CALLS)
                .forEach(row -> rows.put("tool_calls|" + row.value1() + "|" + row.value2(), row.value3()));
        // the row hash leaves out response_key, which is derived from the ids: a wrong key shows here only
        dsl.select(TOKEN_USAGE.SOURCE_KIND, TOKEN_USAGE.RESPONSE_ID, TOKEN_USAGE.REQUEST_ID, TOKEN_USAGE.ROW_HASH, TOKEN_USAGE.RESPONSE_KEY).from(TOKEN_USAGE)
                .forEach(row -> rows.put("token_usage|" + row.value1() + "|" + row.value2() + "|" + row.value3(), row.value4() + "|" + row.value5()));
        dsl.select(SOURCE_FILES.PATH, SOURCE_FILES.CONTENT_HASH, SOURCE_FILES.STATUS).from(SOURCE_FILES)
                .forEach(row -> rows.put("source_files|" + row.value1(), row.value2() + "|" + row.value3()));
        return rows;
    }
}
