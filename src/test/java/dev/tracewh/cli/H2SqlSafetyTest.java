package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class H2SqlSafetyTest
        extends SqlSafetyContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }

    @Test
    void userSqlReachesNoFileAndNoJavaCode()
            throws IOException
    {
        Path written = temp.resolve("written");
        Path secret = Files.writeString(temp.resolve("secret"), "the secret");
        for (String attempt : List.of(
                "create alias get_property for 'java.lang.System.getProperty'",
                "select file_write('x', '" + written + "')",
                "select file_read('" + secret + "')",
                "call csvwrite('" + written + "', 'select 1')",
                "select * from csvread('" + secret + "')",
                "script to '" + written + "'")) {
            Run run = run("sql", "--db", db, attempt);
            assertEquals(ExitCodes.USAGE, run.exitCode(), attempt + ": " + run.out() + run.err());
            assertFalse(run.out().contains("the secret"), attempt);
        }
        assertEquals("n\n0\n", sql("select count(*) as n from information_schema.routines where routine_name = 'get_property'"));

        for (List<String> export : List.of(List.of("export", "traces"), List.of("export", "sft"))) {
            for (String condition : List.of("file_write('x', '" + written + "') > 0", "length(file_read('" + secret + "')) > 0")) {
                Path out = temp.resolve("out.jsonl");
                Run run = run(with(export, "--db", db, "--where", condition, "--out", out.toString()));
                assertEquals(ExitCodes.USAGE, run.exitCode(), export + " --where " + condition + ": " + run.err());
                assertFalse(Files.exists(out));
            }
        }
        assertFalse(Files.exists(written), "user SQL wrote a file");
    }

    @Test
    void aStatementJooqCannotParseStillRunsAsTheReader()
    {
        Run show = run("sql", "--db", db, "show tables");
        assertEquals(0, show.exitCode(), show.err());
        assertTrue(show.out().contains("sessions"), show.out());
        Run ddl = run("sql", "--db", db, "create alias get_property for 'java.lang.System.getProperty'");
        assertTrue(ddl.err().contains("--write"), ddl.err());
    }

    @Test
    void anH2FileIsReadThroughTheReaderToo()
    {
        String file = temp.resolve("warehouse").toString();
        assertEquals(0, run("load", "--db", file, "--path", "examples/claude_code").exitCode());
        Path written = temp.resolve("written");
        Run read = run("sql", "--db", file, "--csv", "select count(*) as n from sessions");
        assertEquals("n\n3\n", read.out(), read.err());
        Run write = run("sql", "--db", file, "select file_write('x', '" + written + "')");
        assertEquals(ExitCodes.USAGE, write.exitCode(), write.err());
        assertFalse(Files.exists(written));
        Run again = run("sql", "--db", file, "--csv", "select count(*) as n from v_sft_candidates");
        assertEquals(0, again.exitCode(), again.err());
    }
}
