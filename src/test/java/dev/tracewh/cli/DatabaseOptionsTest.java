package dev.tracewh.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every command that opens the warehouse shares: where the default one is, --wait, usage errors of --db. */
class DatabaseOptionsTest
{
    @TempDir
    Path temp;

    @Test
    void homeDecidesWhereTheDefaultWarehouseIsAndHelpShowsItWhole()
            throws Exception
    {
        Path home = Files.createDirectory(temp.resolve("home"));
        Path javaHome = Files.createDirectory(temp.resolve("user-home"));
        List<String> jvmOptions = List.of("-Duser.home=" + javaHome);

        Cli.Run help = Cli.inChildJvm(temp, jvmOptions, Map.of("HOME", home.toString()), "runs", "--help");
        assertTrue(help.out().replaceAll("\\s", "").contains("theH2file" + home + "/.tracewh/warehouse."), help.out());
        assertFalse(help.out().contains("~/.tracewh"), help.out());

        Cli.Run migrate = Cli.inChildJvm(temp, jvmOptions, Map.of("HOME", home.toString()), "migrate");
        assertEquals(ExitCodes.SUCCESS, migrate.exitCode(), migrate::all);
        assertTrue(Files.exists(home.resolve(".tracewh/warehouse.mv.db")), "in $HOME");
        assertFalse(Files.exists(javaHome.resolve(".tracewh")), "not in user.home");
    }

    @Test
    void everyCommandThatTakesADatabaseTakesWait()
    {
        List<String> checked = new ArrayList<>();
        commands(TracewhCommand.commandLine(), checked);
        assertTrue(checked.containsAll(List.of("tracewh runs", "tracewh sql", "tracewh errors", "tracewh load", "tracewh migrate")), checked::toString);
    }

    private static void commands(CommandLine command, List<String> checked)
    {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        if (spec.findOption("--db") != null) {
            assertTrue(spec.findOption("--wait") != null, spec.qualifiedName() + " takes --db but not --wait");
            checked.add(spec.qualifiedName());
        }
        command.getSubcommands().values().forEach(subcommand -> commands(subcommand, checked));
    }

    @Test
    void aDatabaseUrlTheDatabaseRefusesIsAUsageError()
    {
        Cli.Run unknownSetting = Cli.run("runs", "--db", "jdbc:h2:" + temp.resolve("warehouse") + ";NO_SUCH_SETTING=1");
        assertEquals(ExitCodes.USAGE, unknownSetting.exitCode(), unknownSetting::all);
        assertTrue(unknownSetting.err().contains("NO_SUCH_SETTING"), unknownSetting.err());

        Cli.Run otherDatabase = Cli.run("sql", "--db", "jdbc:sqlite:" + temp.resolve("warehouse"), "select 1");
        assertEquals(ExitCodes.USAGE, otherDatabase.exitCode(), otherDatabase::all);
    }
}
