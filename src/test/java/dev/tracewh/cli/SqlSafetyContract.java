package dev.tracewh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.cli.Cli.Run;
import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SQL the user types (tracewh sql, --where) cannot change the warehouse, by accident or by injection, and a failed
 * export leaves the previous output file as it was: the commands as a user runs them, on each database.
 */
abstract class SqlSafetyContract
{
    private static final Path EXAMPLES = Path.of("examples/claude_code");
    protected static final String INJECTION = "true); create table injected(x int); select (1";

    @TempDir
    Path temp;

    private TestDatabase database;
    protected String db;


    protected abstract TestDatabase.Kind kind();

    @BeforeEach
    void loadTheExamples()
    {
        database = TestDatabase.create(kind());
        db = database.url().jdbcUrl();
        Run load = run("load", "--db", db, "--path", EXAMPLES.toString());
        assertEquals(0, load.exitCode(), load.err());
        Run judges = run("judge", "run", "--all", "--db", db);
        assertEquals(0, judges.exitCode(), judges.err());
    }

    @AfterEach
    void dropTheDatabase()
    {
        database.close();
    }

    protected TestDatabase database()
    {
        return database;
    }

    @Test
    void sqlRunsOneStatementAndOnlyReads()
    {
        String scores = sql("select count(*) as n from scores");
        Run drop = run("sql", "--db", db, "drop table scores");
        assertEquals(ExitCodes.USAGE, drop.exitCode(), drop.err());
        assertTrue(drop.err().contains("--write"), drop.err());
        Run update = run("sql", "--db", db, "update sessions set title = 'x'");
        assertEquals(ExitCodes.USAGE, update.exitCode(), update.err());
        assertTrue(update.err().contains("--write"), update.err());
        Run twoStatements = run("sql", "--db", db, "select 1; drop table scores");
        assertEquals(ExitCodes.USAGE, twoStatements.exitCode(), twoStatements.err());
        assertTrue(twoStatements.err().contains("one statement"), twoStatements.err());
        Run twoStatementsWritten = run("sql", "--write", "--db", db, "select 1; drop table scores");
        assertEquals(ExitCodes.USAGE, twoStatementsWritten.exitCode(), twoStatementsWritten.err());

        assertEquals(scores, sql("select count(*) as n from scores"));
        assertEquals("n\n0\n", sql("select count(*) as n from sessions where title = 'x'"));
    }

    @Test
    void sqlReadsWhatUsersAsk()
    {
        assertEquals("n\n1\n", sql("select length(';') as n; -- one statement, whatever the comment says;"));
        assertEquals("traces\n3\n", sql("select count(*) as traces from sessions"));
        Run json = run("sql", "--db", db, "--json", "select count(*) as n from v_usage_daily");
        assertEquals(0, json.exitCode(), json.err());
        Run missing = run("sql", "--db", db, "select * from no_such_table");
        assertEquals(ExitCodes.FAILED, missing.exitCode(), missing.err());
    }

    @Test
    void writeRunsOneStatementThatChangesTheWarehouse()
    {
        Run update = run("sql", "--write", "--db", db, "update sessions set title = 'renamed'");
        assertEquals(0, update.exitCode(), update.err());
        assertTrue(update.err().contains("3 rows changed"), update.err());
        assertEquals("n\n3\n", sql("select count(*) as n from sessions where title = 'renamed'"));
    }

    @Test
    void whereIsOneConditionNeverSplicedIntoSql()
    {
        String scores = sql("select count(*) as n from scores");
        for (List<String> export : List.of(List.of("export", "traces"), List.of("export", "sft"))) {
            Path out = temp.resolve(export.get(1) + ".jsonl");
            Run injected = run(with(export, "--db", db, "--where", INJECTION, "--out", out.toString()));
            assertEquals(ExitCodes.USAGE, injected.exitCode(), export + ": " + injected.err());
            assertTrue(injected.err().contains("--where"), injected.err());
            assertFalse(Files.exists(out), export + " wrote " + out);
            Run twoConditions = run(with(export, "--db", db, "--where", "true; drop table scores", "--out", out.toString()));
            assertEquals(ExitCodes.USAGE, twoConditions.exitCode(), export + ": " + twoConditions.err());
        }
        Run injectedTable = run("sql", "--db", db, "select count(*) from injected");
        assertEquals(ExitCodes.FAILED, injectedTable.exitCode(), "the injection created a table: " + injectedTable.out());
        assertEquals(scores, sql("select count(*) as n from scores"));
        assertEquals("n\n0\n", sql("select count(*) as n from exports"));
    }

    @Test
    void documentedConditionsSelectWhatTheSameSqlSelects()
            throws IOException
    {
        for (String condition : List.of("message_count > 10", "source_kind = 'claude_code'", "started_at >= '2026-01-01'", "not is_sidechain and git_branch like 'fix/%'")) {
            Path out = temp.resolve("traces.jsonl");
            Run export = run("export", "traces", "--db", db, "--where", condition, "--out", out.toString());
            assertEquals(0, export.exitCode(), condition + ": " + export.err());
            assertEquals(sql("select trace_id from sessions where " + condition + " order by trace_id"), "trace_id\n" + traceIds(out, "/trace_id"), condition);
        }
        for (String condition : List.of("has_user_task", "has_user_task and ends_with_answer and tool_error_rate < 0.5",
                "recommended_for_sft or training_value = 'medium'", "trace_id in (select trace_id from scores where name = 'ends_with_answer' and value = 1)")) {
            Path out = temp.resolve("sft.jsonl");
            Run export = run("export", "sft", "--db", db, "--where", condition, "--out", out.toString());
            assertEquals(0, export.exitCode(), condition + ": " + export.err());
            List<String> chosen = sql("select trace_id from v_sft_candidates where not is_sidechain and (" + condition + ") order by trace_id").lines().skip(1).toList();
            List<String> exported = traceIds(out, "/metadata/trace_id").lines().toList();
            assertEquals(sql("select trace_id from export_items where export_id = (select max(export_id) from exports) order by trace_id").lines().skip(1).toList(),
                    exported, condition);
            assertTrue(chosen.containsAll(exported), condition + ": exported " + exported + ", the same SQL chooses " + chosen);
            if (condition.equals("has_user_task")) {
                assertFalse(exported.isEmpty(), "the examples have traces with a user task");
            }
        }
        assertTrue(sql("select filter_sql from exports order by export_id").contains("recommended_for_sft or training_value = 'medium'"));
    }

    @Test
    void aFailedExportLeavesThePreviousFileUntouched()
            throws IOException
    {
        for (List<String> export : List.of(List.of("export", "traces"), List.of("export", "sft"))) {
            Path folder = Files.createDirectories(temp.resolve(export.get(1)));
            Path out = folder.resolve("out.jsonl");
            byte[] previous = "{\"previous\": true}\n".getBytes();
            Files.write(out, previous);

            Run failed = run(with(export, "--db", db, "--where", "no_such_column = 1", "--out", out.toString()));
            assertEquals(ExitCodes.FAILED, failed.exitCode(), export + ": " + failed.err());
            assertEquals(new String(previous), Files.readString(out), export + " changed the previous file");
            assertEquals(List.of(out), filesIn(folder), export + " left a temporary file");

            Run succeeded = run(with(export, "--db", db, "--out", out.toString()));
            assertEquals(0, succeeded.exitCode(), export + ": " + succeeded.err());
            assertFalse(Files.readString(out).contains("previous"), export + " did not replace the file");
            assertEquals(List.of(out), filesIn(folder), export + " left a temporary file");
        }
    }

    protected String sql(String query)
    {
        Run run = run("sql", "--db", db, "--csv", query);
        assertEquals(0, run.exitCode(), query + ": " + run.err());
        return run.out();
    }

    private static String traceIds(Path jsonl, String pointer)
            throws IOException
    {
        ObjectMapper mapper = new ObjectMapper();
        StringBuilder ids = new StringBuilder();
        for (String line : Files.readAllLines(jsonl)) {
            ids.append(mapper.readTree(line).at(pointer).asText()).append('\n');
        }
        return ids.toString();
    }

    private static List<Path> filesIn(Path folder)
            throws IOException
    {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    protected static String[] with(List<String> command, String... args)
    {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

}
