package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.testing.TestRole;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tracewh grant-read ROLE} as a user runs it. */
class GrantReadCommandTest
{
    @TempDir
    Path temp;


    @Test
    void anH2WarehouseIsRefusedAndLeftAlone()
    {
        Path warehouse = temp.resolve("warehouse");
        Run run = run("grant-read", "metabase", "--db", warehouse.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("tracewh: grant-read gives a PostgreSQL role read access, and jdbc:h2:file:"), run.err());
        assertFalse(Files.exists(temp.resolve("warehouse.mv.db")), "no H2 file made");
    }

    @Test
    @Tag("postgres")
    void aRoleThatDoesNotExistIsRefused()
    {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
            Run run = run("grant-read", "tracewh_test_nobody", "--db", database.url().jdbcUrl());
            assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
            assertTrue(run.err().startsWith("tracewh: role tracewh_test_nobody does not exist in "), run.err());
        }
    }

    @Test
    @Tag("postgres")
    void aRoleOfAnyNameGetsTheViews()
            throws SQLException
    {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
                TestRole reader = TestRole.create(database, "tracewh test \"reader\"; drop table sessions; ")) {
            Run run = run("grant-read", reader.name(), "--db", database.url().jdbcUrl());
            assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.err());
            assertTrue(run.err().startsWith("role " + reader.name() + " can read 17 views in schema "), run.err());
            assertTrue(run.err().strip().endsWith(": v_cost_daily, v_cost_responses, v_cost_sessions, v_judge_trace_scores, v_message_json, v_message_kinds, v_messages, v_scores_latest, "
                    + "v_secret_findings, v_session_rollup, v_sft_candidates, v_tool_calls, v_tool_interactions, v_trace_digest_input, v_trace_scores, v_traces, v_usage_daily"), run.err());
            try (Connection connection = reader.connect();
                    Statement statement = connection.createStatement();
                    ResultSet traces = statement.executeQuery("select count(*) from v_traces")) {
                traces.next();
                assertEquals(0, traces.getLong(1));
            }
        }
    }

}
