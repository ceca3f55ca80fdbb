package dev.tracewh.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The help a person reads: whole sentences that picocli wraps itself, a hint for a mistyped command, usage for a bare {@code tracewh}. */
class HelpTextTest
{
    @Test
    void everyDescriptionLineIsWholeSentences()
    {
        List<String> broken = new ArrayList<>();
        collectBrokenLines(TracewhCommand.commandLine(), broken);
        // a line ending mid-sentence is a source line break: picocli starts a new line there, and the command
        // list shows only a command's first line, cut off
        assertEquals(List.of(), broken);
    }

    private static void collectBrokenLines(CommandLine commandLine, List<String> broken)
    {
        CommandSpec spec = commandLine.getCommandSpec();
        List<String> lines = new ArrayList<>(List.of(spec.usageMessage().header()));
        lines.addAll(List.of(spec.usageMessage().description()));
        for (ArgSpec arg : spec.args()) {
            lines.addAll(List.of(arg.description()));
        }
        for (String line : lines) {
            // picocli's own help command ends its line with a format %n
            if (!line.strip().matches("(?s).*[.?!]\\)?\"?(%n)?")) {
                broken.add(spec.qualifiedName() + ": " + line);
            }
        }
        commandLine.getSubcommands().values().stream().distinct().forEach(subcommand -> collectBrokenLines(subcommand, broken));
    }

    @Test
    void loadHelpWritesItsDefaultFoldersWhole()
    {
        String description = String.join(" ", TracewhCommand.commandLine().getSubcommands().get("load").getCommandSpec().usageMessage().description());
        // as printed, wrapped at picocli's 80 columns: a folder cut at a line end is not written whole
        String usage = TracewhCommand.commandLine().getSubcommands().get("load").getUsageMessage();

        assertFalse(description.contains("~"), description);
        for (String folder : List.of("$HOME/.claude/projects", "$HOME/.config/claude/projects", "$CLAUDE_CONFIG_DIR/projects",
                "$CODEX_HOME/sessions", "$HOME/.codex/sessions", "$HOME/.codex/archived_sessions", "$PI_CODING_AGENT_DIR/sessions",
                "$HOME/.pi/agent/sessions", "$OPENCLAW_DIR", "$HOME/.openclaw", "$HOME/.moldbot", "$HERMES_HOME", "$HOME/.hermes",
                "$GEMINI_CLI_HOME/.gemini/tmp", "$HOME/.gemini/tmp", "$QWEN_RUNTIME_DIR/projects", "$HOME/.qwen/projects", "$AMP_DATA_DIR",
                "$HOME/.local/share/amp/threads", "$OPENCODE_DATA_DIR", "$XDG_DATA_HOME/opencode", "$HOME/.local/share/opencode",
                "$COPILOT_CONFIG_DIR/session-state", "$COPILOT_HOME/session-state",
                "$HOME/.copilot/session-state")) {
            assertTrue(usage.contains(folder), folder + " in " + usage);
        }
    }

    @Test
    void aBareTracewhPrintsTheUsageOnStderr()
    {
        Cli.Run run = Cli.run();

        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().startsWith("Usage: tracewh"), run.err());
        assertTrue(run.err().contains("load"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aMistypedCommandGetsASuggestion()
    {
        Cli.Run run = Cli.run("lod");

        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("'lod'"), run.err());
        assertTrue(run.err().contains("Did you mean: tracewh load?"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void verboseIsAcceptedAfterAnySubcommand()
    {
        Cli.Run run = Cli.run("runs", "--verbose", "--help");

        assertEquals(ExitCodes.SUCCESS, run.exitCode(), run.err());
        assertTrue(run.out().contains("--verbose"), run.out());
    }
}
