package dev.tracewh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.cli.Cli.Run;
import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the commands that print rows print, over the bundled examples on H2. */
class QueryOutputCliTest
{
    private TestDatabase database;
    private String db;

    @BeforeEach
    void loadTheExamples()
    {
        database = TestDatabase.create(TestDatabase.Kind.H2);
        db = database.url().jdbcUrl();
        Run load = run("load", "--db", db, "--path", "examples/claude_code");
        assertEquals(0, load.exitCode(), load.err());
    }

    @AfterEach
    void dropTheDatabase()
    {
        database.close();
    }

    @Test
    void sqlJsonWritesTheJsonColumnsOfTheViewsAsJson()
            throws IOException
    {
        Run run = run("sql", "--db", db, "--json", "select trace_id, source_meta from v_traces order by trace_id");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode traces = new ObjectMapper().readTree(run.out());
        assertEquals(3, traces.size());
        assertTrue(traces.at("/0/source_meta").isObject(), run.out());

        Run messages = run("sql", "--db", db, "--json", "select trace_id, ordinal, content from v_messages order by trace_id, ordinal");
        assertEquals(0, messages.exitCode(), messages.err());
        for (JsonNode message : new ObjectMapper().readTree(messages.out())) {
            assertTrue(message.get("content").isArray(), message.toString());
        }
    }

    @Test
    void sqlPrintsNumbersPlainAndNullAsAsked()
    {
        String query = "select cast(0 as numeric(30, 20)) as zero, cast(1.5 as numeric(20, 9)) as half, cast(null as int) as nothing";
        Run table = run("sql", "--db", db, query);
        assertEquals(0, table.exitCode(), table.err());
        assertEquals("zero  half  nothing\n----  ----  -------\n   0   1.5\n", table.out());
        assertEquals("zero,half,nothing\n0,1.5,NULL\n", run("sql", "--db", db, "--csv", "--null", "NULL", query).out());
    }

    @Test
    void maxWidthZeroIsNoLimitAndANegativeOneAUsageError()
    {
        String query = "select repeat('x', 100) as wide";
        assertTrue(run("sql", "--db", db, "--max-width", "0", query).out().contains("x".repeat(100)));
        assertFalse(run("sql", "--db", db, query).out().contains("x".repeat(100)));
        assertEquals(ExitCodes.USAGE, run("sql", "--db", db, "--max-width", "-1", query).exitCode());
        assertEquals(ExitCodes.USAGE, run("sql", "--db", db, "--csv", "--json", query).exitCode());
    }

    @Test
    void aNegativeLimitIsAUsageError()
    {
        for (String command : List.of("runs", "errors", "secrets")) {
            Run run = run(command, "--db", db, "--limit", "-1");
            assertEquals(ExitCodes.USAGE, run.exitCode(), command + ": " + run.err());
            assertTrue(run.err().contains("--limit"), run.err());
            assertEquals("", run.out());
        }
    }

    @Test
    void runsFitsIn120ColumnsAndWideShowsTheRest()
    {
        Run runs = run("runs", "--db", db);
        assertEquals(0, runs.exitCode(), runs.err());
        List<String> lines = runs.out().lines().toList();
        assertEquals(3, lines.size(), runs.out());
        for (String line : lines) {
            assertTrue(line.length() <= 120, line.length() + ": " + line);
        }
        assertTrue(lines.getFirst().startsWith("run_id  started_at"), lines.getFirst());
        assertFalse(runs.out().contains("examples/claude_code"), "the arguments are for --wide");

        Run wide = run("runs", "--db", db, "--wide", "--max-width", "0");
        assertEquals(0, wide.exitCode(), wide.err());
        assertTrue(wide.out().contains("arguments"), wide.out());
        assertTrue(wide.out().contains("examples/claude_code"), wide.out());
    }
}
