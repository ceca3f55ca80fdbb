package dev.tracewh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.cli.Cli.Run;
import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static dev.tracewh.cli.Cli.run;
import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.SOURCE_FILES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tracewh check} as a user runs it: exit 0 and one line on a sound warehouse, exit 1 naming what is broken. */
class CheckCommandTest
{
    private static final Path EXAMPLES = Path.of("examples/claude_code");

    @TempDir
    Path temp;


    @Test
    void aSoundWarehouseExitsZeroWithOneLine()
    {
        String db = temp.resolve("warehouse").toString();
        assertEquals(ExitCodes.SUCCESS, run("load", "--db", db, "--path", EXAMPLES.toString()).exitCode());

        Run check = run("check", "--db", db);
        assertEquals(ExitCodes.SUCCESS, check.exitCode(), check.out() + check.err());
        assertEquals(1, check.out().lines().count(), check.out());
        assertTrue(check.out().startsWith("ok: all 5 invariants hold over 3 sessions and 3 source files"), check.out());
    }

    @Test
    void aBrokenWarehouseExitsOneNamingWhatIsWrongAndTheRepair()
            throws IOException
    {
        String db = temp.resolve("warehouse").toString();
        assertEquals(ExitCodes.SUCCESS, run("load", "--db", db, "--path", EXAMPLES.toString()).exitCode());
        String traceId;
        try (Warehouse warehouse = Warehouse.open(DatabaseUrl.parse(db))) {
            traceId = warehouse.dsl().select(SESSIONS.TRACE_ID).from(SESSIONS).orderBy(SESSIONS.TRACE_ID).limit(1).fetchSingle(SESSIONS.TRACE_ID);
            warehouse.dsl().deleteFrom(MESSAGES).where(MESSAGES.TRACE_ID.eq(traceId)).execute();
            warehouse.dsl().deleteFrom(SOURCE_FILES).execute();
        }

        Run check = run("check", "--db", db);
        assertEquals(ExitCodes.PARTIAL, check.exitCode(), check.out() + check.err());
        assertTrue(check.out().startsWith("2 of 5 invariants broken over 3 sessions and 0 source files"), check.out());
        assertTrue(check.out().contains("\nmessage_count: 1 sessions whose message_count differs from their active path's rows in messages\n  " + traceId + "  message_count "),
                check.out());
        assertTrue(check.out().contains("\nsession_file_state: 3 sessions whose source_path has no source_files row\n"), check.out());
        assertTrue(check.out().contains("  repair: tracewh load --full-refresh"), check.out());

        Run json = run("check", "--db", db, "--json");
        assertEquals(ExitCodes.PARTIAL, json.exitCode());
        JsonNode findings = new ObjectMapper().readTree(json.out());
        assertEquals("broken", findings.get("status").asText());
        JsonNode messageCount = findings.get("violations").get(0);
        assertEquals("message_count", messageCount.get("invariant").asText());
        assertEquals(1, messageCount.get("count").asInt());
        assertEquals(traceId, messageCount.get("examples").get(0).get("subject").asText());
        assertEquals("session_file_state", findings.get("violations").get(1).get("invariant").asText());

        // the suggested repair writes what the files still hold: here, at least their state rows
        assertEquals(ExitCodes.SUCCESS, run("load", "--db", db, "--path", EXAMPLES.toString(), "--full-refresh").exitCode());
        Run repaired = run("check", "--db", db, "--json");
        assertFalse(repaired.out().contains("session_file_state"), repaired.out());
        assertEquals(3, new ObjectMapper().readTree(repaired.out()).get("source_files").asInt());
    }

}
