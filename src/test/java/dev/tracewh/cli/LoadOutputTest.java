package dev.tracewh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What {@code tracewh load} prints for a person (stderr) and for a script (stdout, the exit code), on success and on failure. */
class LoadOutputTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The child's environment: no agent folders of this machine's user leak in. */
    private static final Map<String, String> NO_AGENT_VARIABLES = Map.of("CLAUDE_CONFIG_DIR", "", "CODEX_HOME", "");

    @TempDir
    Path temp;

    @Test
    void theDefaultFoldersFollowHomeNotUserHomeAndTheSummaryNamesThemResolved()
            throws Exception
    {
        Path home = temp.resolve("home");
        Cli.copyExamples(home.resolve(".claude/projects"));

        Cli.Run run = Cli.inChildJvm(temp, List.of("-Duser.home=" + temp.resolve("elsewhere")), withHome(home),
                "load", "--db", temp.resolve("warehouse").toString());

        assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.err());
        assertTrue(run.err().contains("  from      " + home.resolve(".claude/projects")), run.err());
        assertFalse(run.err().contains("~/"), run.err());
    }

    @Test
    void noDefaultFolderIsNothingFoundWithExitCode1NamingTheResolvedFolders()
            throws Exception
    {
        Path home = Files.createDirectories(temp.resolve("empty-home"));

        Cli.Run run = Cli.inChildJvm(temp, List.of(), withHome(home), "load", "--db", temp.resolve("warehouse").toString(), "--json");

        assertEquals(ExitCodes.PARTIAL, run.exitCode(), run.err());
        assertTrue(run.err().contains("no session files: " + home.resolve(".claude/projects")), run.err());
        JsonNode line = JSON.readTree(run.out());
        assertEquals("nothing_found", line.get("status").asText());
        assertTrue(line.get("error").asText().contains(home.resolve(".codex/sessions").toString()), run.out());
    }

    @Test
    void aModelWithoutAPriceIsNamedByTheLoadThatSeesItFirstAndOnlyThen()
            throws Exception
    {
        Path sessions = Files.createDirectories(temp.resolve("pi/--p--"));
        Path file = sessions.resolve("2026-01-01T00-00-00-000Z_pi-unpriced.jsonl");
        Files.writeString(file, """
                {"type":"session","version":3,"id":"pi-unpriced","timestamp":"2026-01-01T00:00:00Z","cwd":"/p"}
                {"type":"message","id":"e1","parentId":null,"timestamp":"2026-01-01T00:00:01Z","message":{"role":"user","content":"hi"}}
                {"type":"message","id":"e2","parentId":"e1","timestamp":"2026-01-01T00:00:02Z","message":{"role":"assistant","model":"in-house-model-7","content":[{"type":"text","text":"hello"}],"usage":{"input":5,"output":2,"cacheRead":0,"cacheWrite":0}}}
                """);
        String database = temp.resolve("warehouse").toString();

        Cli.Run first = Cli.run("load", "--db", database, "--format", "pi_coding_agent", "--path", sessions.toString());
        assertEquals(ExitCodes.SUCCESS, first.exitCode(), first.err());
        assertTrue(first.err().contains("no price for 1 model seen for the first time: in-house-model-7"), first.err());

        Files.writeString(file, Files.readString(file).replace("\"hello\"", "\"hello again\""));
        Cli.Run second = Cli.run("load", "--db", database, "--format", "pi_coding_agent", "--path", sessions.toString(), "--json");
        assertEquals(ExitCodes.SUCCESS, second.exitCode(), second.err());
        assertEquals(1, JSON.readTree(second.out()).get("files_loaded").asInt(), second.out());
        assertEquals(0, JSON.readTree(second.out()).get("unpriced_models").size(), second.out());
    }

    @Test
    void aFormatThatMatchesNothingUnderThePathSaysSoAndExits1()
            throws Exception
    {
        Path examples = Cli.copyExamples(temp.resolve("examples"));
        String database = temp.resolve("warehouse").toString();

        Cli.Run run = Cli.run("load", "--db", database, "--format", "codex", "--path", examples.toString(), "--json");

        assertEquals(ExitCodes.PARTIAL, run.exitCode(), run.err());
        String said = "no session files of format codex found under " + examples.toAbsolutePath().normalize();
        assertTrue(run.err().contains(said), run.err());
        assertEquals(said, JSON.readTree(run.out()).get("error").asText());

        Cli.Run dryRun = Cli.run("load", "--db", database, "--format", "codex", "--path", examples.toString(), "--dry-run");
        assertEquals(ExitCodes.PARTIAL, dryRun.exitCode(), dryRun.err());
        assertTrue(dryRun.err().contains(said), dryRun.err());
    }

    @Test
    void anEmptyFolderIsNothingFound()
            throws Exception
    {
        Path empty = Files.createDirectories(temp.resolve("empty"));

        Cli.Run run = Cli.run("load", "--db", temp.resolve("warehouse").toString(), "--path", empty.toString());

        assertEquals(ExitCodes.PARTIAL, run.exitCode(), run.err());
        assertTrue(run.err().contains("no session files found under " + empty.toAbsolutePath().normalize()), run.err());
    }

    @Test
    void aFailedLoadWritesItsJsonLineAndOneOrTwoLinesNamingTheCause()
            throws Exception
    {
        Path examples = Cli.copyExamples(temp.resolve("examples"));
        String readOnly = "jdbc:h2:file:" + temp.resolve("warehouse") + ";ACCESS_MODE_DATA=r";
        Cli.run("migrate", "--db", temp.resolve("warehouse").toString());

        Cli.Run run = Cli.run("load", "--db", readOnly, "--path", examples.toString(), "--json");

        assertEquals(ExitCodes.FAILED, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(1, lines.size(), run.out());
        JsonNode line = JSON.readTree(lines.getFirst());
        assertEquals("failed", line.get("status").asText());
        assertEquals(ExitCodes.FAILED, line.get("exit_code").asInt());
        assertTrue(line.get("error").asText().contains("read-only"), run.out());
        List<String> errors = run.err().lines().toList();
        assertTrue(errors.size() <= 2, run.err());
        assertTrue(errors.getFirst().startsWith("tracewh: the warehouse cannot be written: its H2 file or folder is read-only"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());

        Cli.Run verbose = Cli.run("load", "--db", readOnly, "--path", examples.toString(), "--verbose");
        assertEquals(ExitCodes.FAILED, verbose.exitCode(), verbose.err());
        assertTrue(verbose.err().contains("\tat "), "--verbose prints the stack trace: " + verbose.err());
    }

    @Test
    void aFailedLoadBeforeItsRunWritesItsJsonLine()
    {
        Cli.Run run = Cli.run("load", "--db", temp.resolve("warehouse").toString(), "--path", temp.resolve("absent").toString(), "--json");

        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertEquals("{\"status\":\"failed\",\"exit_code\":3,\"error\":\"path does not exist: " + temp.resolve("absent") + "\"}", run.out().strip());
    }

    @Test
    void aCommandLineLoadCannotParseStillGetsItsJsonLine()
            throws Exception
    {
        Cli.Run run = Cli.run("load", "--json", "--no-such-option");

        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        JsonNode line = JSON.readTree(run.out());
        assertEquals("failed", line.get("status").asText());
        assertTrue(line.get("error").asText().contains("--no-such-option"), run.out());
    }

    @Test
    void aSqlErrorIsItsCauseWithoutTheStatement()
    {
        String database = temp.resolve("warehouse").toString();
        assertEquals(ExitCodes.SUCCESS, Cli.run("migrate", "--db", database).exitCode());

        Cli.Run run = Cli.run("sql", "--db", database, "select no_such_column from sessions");

        assertEquals(ExitCodes.FAILED, run.exitCode(), run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(2, lines.size(), run.err());
        assertTrue(lines.getFirst().startsWith("tracewh: ") && lines.getFirst().contains("no_such_column"), run.err());
        assertFalse(lines.getFirst().contains("select"), "the statement is left out: " + run.err());
        assertEquals("(--verbose shows the whole error)", lines.get(1));
    }

    @Test
    void aRedirectedStderrGetsNoProgressFrames()
            throws Exception
    {
        Path examples = Cli.copyExamples(temp.resolve("examples"));

        Cli.Run run = Cli.inChildJvm(temp, List.of(), NO_AGENT_VARIABLES, "load", "--db", temp.resolve("warehouse").toString(), "--path", examples.toString());

        assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.err());
        assertFalse(run.err().contains("\r"), run.err());
        assertTrue(run.err().contains("load run 1 succeeded"), run.err());
    }

    @Test
    void quietSilencesTheProgressEvenWhereItWouldBeDrawn()
            throws Exception
    {
        Path examples = Cli.copyExamples(temp.resolve("examples"));
        List<String> load = List.of("load", "--db", temp.resolve("warehouse").toString(), "--path", examples.toString(), "--full-refresh");
        Map<String, String> drawn = Map.of(TerminalProgress.OVERRIDE_VARIABLE, "always");

        Cli.Run shown = Cli.inChildJvm(temp, List.of(), drawn, load.toArray(String[]::new));
        List<String> quietLoad = new ArrayList<>(load);
        quietLoad.add("--quiet");
        Cli.Run quiet = Cli.inChildJvm(temp, List.of(), drawn, quietLoad.toArray(String[]::new));

        assertEquals(ExitCodes.SUCCESS, shown.exitCode(), shown.err());
        assertTrue(shown.err().contains("\r") && shown.err().contains(" MB"), shown.err());
        assertTrue(shown.err().contains("finding session files"), shown.err());
        assertFalse(shown.out().contains("\r"), "the bar is drawn on stderr only: " + shown.out());
        assertEquals(ExitCodes.SUCCESS, quiet.exitCode(), quiet.err());
        assertFalse(quiet.err().contains("\r"), quiet.err());
    }

    /** A real terminal on stderr (util-linux script) with stdout redirected: the bar is drawn, on stderr. */
    @Test
    void aTerminalOnStderrGetsTheBarWhileStdoutIsRedirected()
            throws Exception
    {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs util-linux script to give the child a terminal");
        Path examples = Cli.copyExamples(temp.resolve("examples"));
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaCommand(), "-cp", System.getProperty("java.class.path"), "dev.tracewh.cli.Main",
                "load", "--db", temp.resolve("warehouse").toString(), "--path", examples.toString()));
        String shell = String.join(" ", command.stream().map(LoadOutputTest::quoted).toList()) + " > " + quoted(temp.resolve("stdout").toString());
        Path typescript = temp.resolve("typescript");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/script", "-q", "-e", "-c", shell, typescript.toString())
                .redirectOutput(temp.resolve("script.out").toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PG") || name.startsWith("TRACEWH_"));
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the load under script did not finish");

        String terminal = Files.readString(typescript);
        assertEquals(0, process.exitValue(), terminal);
        assertTrue(terminal.contains("\r") && terminal.contains(" MB"), "the bar on the terminal: " + terminal);
        assertFalse(Files.readString(temp.resolve("stdout")).contains("\r"));
    }

    private static Map<String, String> withHome(Path home)
    {
        Map<String, String> environment = new java.util.HashMap<>(NO_AGENT_VARIABLES);
        environment.put("HOME", home.toString());
        return environment;
    }

    private static String quoted(String word)
    {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
