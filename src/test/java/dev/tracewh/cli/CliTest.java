package dev.tracewh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.cli.Cli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands as a user runs them, on an H2 file in a temporary folder and the bundled examples. */
class CliTest
{
    private static final Path EXAMPLES = Path.of("examples/claude_code");

    @TempDir
    Path temp;


    @Test
    void everyCommandHasHelp()
    {
        CommandLine commandLine = TracewhCommand.commandLine();
        List<List<String>> commands = new ArrayList<>();
        collect(commandLine, new ArrayList<>(), commands);
        assertTrue(commands.size() >= 8, "commands: " + commands);
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            Run run = run(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), String.join(" ", args));
            assertTrue(run.out().contains("Usage: tracewh"), String.join(" ", args) + ": " + run.out());
        }
    }

    @Test
    void loadSqlAndExportTheExamples()
            throws IOException
    {
        String db = temp.resolve("warehouse").toString();
        Run load = run("load", "--db", db, "--path", EXAMPLES.toString(), "--json");
        assertEquals(0, load.exitCode(), load.err());
        JsonNode metrics = new ObjectMapper().readTree(load.out().lines().reduce((first, second) -> second).orElseThrow());
        assertEquals("succeeded", metrics.get("status").asText());
        assertEquals(3, metrics.get("traces").asInt());

        Run again = run("load", "--db", db, "--path", EXAMPLES.toString(), "--json");
        JsonNode second = new ObjectMapper().readTree(again.out().strip());
        assertEquals(3, second.get("files_unchanged").asInt());
        assertEquals(0, second.get("files_loaded").asInt());

        Run csv = run("sql", "--db", db, "--csv", "select source_kind, count(*) as traces from sessions group by source_kind");
        assertEquals("source_kind,traces\nclaude_code,3\n", csv.out());
        Run json = run("sql", "--db", db, "--json", "select count(*) as n from v_usage_daily");
        assertTrue(json.out().startsWith("[{\"n\":"), json.out());

        Path out = temp.resolve("traces.jsonl");
        Run export = run("export", "traces", "--db", db, "--out", out.toString());
        assertEquals(0, export.exitCode(), export.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        for (String line : lines) {
            JsonNode trace = new ObjectMapper().readTree(line);
            List<String> fields = new ArrayList<>();
            trace.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("trace_id", "source_kind", "source_path", "root_session_id", "agent_id", "is_sidechain", "cwd", "project_path",
                    "git_branch", "started_at", "ended_at", "messages", "source_meta", "message_count", "tool_call_count", "final_assistant_message"), fields);
            assertEquals(trace.get("message_count").asInt(), trace.get("messages").size());
            for (JsonNode message : trace.get("messages")) {
                assertTrue(List.of("user", "assistant", "system", "tool").contains(message.get("role").asText()));
                assertTrue(message.get("content").isArray());
                assertFalse(message.has("branch"), message.toString());
            }
        }
        Path everyBranch = temp.resolve("all-branches.jsonl");
        Run allBranches = run("export", "traces", "--db", db, "--all-branches", "--out", everyBranch.toString());
        assertEquals(0, allBranches.exitCode(), allBranches.err());
        for (String line : Files.readAllLines(everyBranch)) {
            JsonNode trace = new ObjectMapper().readTree(line);
            assertEquals(trace.get("message_count").asInt(), trace.get("messages").size());
            trace.get("messages").forEach(message -> assertTrue(message.get("branch").isInt(), message.toString()));
        }
        Run sft = run("export", "sft", "--db", db, "--where", "has_user_task", "--all-branches", "--out", temp.resolve("sft.jsonl").toString());
        assertEquals(0, sft.exitCode(), sft.err());
        assertEquals("n\n1\n", run("sql", "--db", db, "--csv", "select count(*) as n from exports where options like '%\"all_branches\":true%'").out());

        Run runs = run("runs", "--db", db, "--csv");
        assertEquals(3, runs.out().lines().count(), runs.out());
        Run dryRun = run("load", "--db", db, "--path", EXAMPLES.toString(), "--dry-run");
        assertTrue(dryRun.out().contains("unchanged"), dryRun.out());
    }

    @Test
    void exitCodesNameTheProblemInOneLine()
    {
        Run missingPath = run("load", "--db", temp.resolve("w").toString(), "--path", temp.resolve("nope").toString());
        assertEquals(ExitCodes.USAGE, missingPath.exitCode());
        assertTrue(missingPath.err().startsWith("tracewh: path does not exist"), missingPath.err());

        Run badOption = run("load", "--no-such-option");
        assertEquals(ExitCodes.USAGE, badOption.exitCode());

        Run badShard = run("load", "--db", temp.resolve("w").toString(), "--path", EXAMPLES.toString(), "--shard", "3/2");
        assertEquals(ExitCodes.USAGE, badShard.exitCode());

        Run unreachable = run("load", "--db", "jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2", "--path", EXAMPLES.toString());
        assertEquals(ExitCodes.FAILED, unreachable.exitCode());
        assertEquals(1, unreachable.err().lines().count(), unreachable.err());

        Run badSql = run("sql", "--db", temp.resolve("w").toString(), "select * from no_such_table");
        assertEquals(ExitCodes.FAILED, badSql.exitCode());
        assertFalse(badSql.err().isBlank());
    }

    @Test
    void brokenLinesMakeALoadPartial()
            throws IOException
    {
        Path projects = temp.resolve("projects/p");
        Files.createDirectories(projects);
        Files.writeString(projects.resolve("0f0f0f0f-0000-4000-8000-000000000000.jsonl"), """
                {"type":"user","uuid":"u1","sessionId":"0f0f0f0f-0000-4000-8000-000000000000","message":{"role":"user","content":"hi"}}
                not json at all
                """);
        String db = temp.resolve("warehouse").toString();
        Run load = run("load", "--db", db, "--path", temp.resolve("projects").toString());
        assertEquals(ExitCodes.PARTIAL, load.exitCode());
        Run errors = run("errors", "--db", db, "--csv");
        assertTrue(errors.out().contains(",2,invalid_json,"), errors.out());
    }

    private static void collect(CommandLine commandLine, List<String> path, List<List<String>> commands)
    {
        commands.add(List.copyOf(path));
        commandLine.getSubcommands().forEach((name, subcommand) -> {
            if (!name.equals("help")) {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                collect(subcommand, next, commands);
            }
        });
    }

}
