package dev.tracewh.cli;

import dev.tracewh.load.LoadLockedException;
import dev.tracewh.warehouse.WarehouseException;
import dev.tracewh.warehouse.WarehouseInUseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

@Command(name = "tracewh",
        mixinStandardHelpOptions = true,
        versionProvider = TracewhCommand.Version.class,
        description = "Loads coding-agent session traces into a SQL warehouse (embedded H2 or PostgreSQL).",
        subcommands = {LoadCommand.class, MigrateCommand.class, CompactCommand.class, SqlCommand.class, ExportCommand.class, ScoresCommand.class, JudgeCommand.class,
                GrantReadCommand.class, RunsCommand.class, ErrorsCommand.class, SecretsCommand.class, CheckCommand.class, PurgeCommand.class, DevCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:partial: some lines or files could not be loaded (see tracewh errors)",
                "2:failed: database unreachable, query or I/O error",
                "3:usage error: bad option, argument or path",
                "4:another load holds the warehouse lock"})
public final class TracewhCommand
{
    /** The configured command line: exit codes and one-line error messages for every subcommand. */
    public static CommandLine commandLine()
    {
        CommandLine commandLine = new CommandLine(new TracewhCommand());
        commandLine.setExitCodeExceptionMapper(exception -> exception instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.FAILED);
        // messages of picocli, drivers and Flyway may quote an argument or a URL: never with its password
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine failed = exception.getCommandLine();
            failed.getErr().println("tracewh: " + Secrets.of(List.of(args), System.getenv()).redact(exception.getMessage()));
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (ClosedOutputException.causes(exception)) {
                return ExitCodes.SUCCESS;
            }
            failed.getErr().println("tracewh: " + Secrets.of(parseResult.originalArgs(), System.getenv()).redact(oneLine(exception)));
            if (exception instanceof LoadLockedException || exception instanceof WarehouseInUseException) {
                return ExitCodes.LOCKED;
            }
            return exception instanceof UsageException ? ExitCodes.USAGE : ExitCodes.FAILED;
        });
        return commandLine;
    }

    private static String oneLine(Exception exception)
    {
        if (exception instanceof WarehouseException || exception instanceof UsageException || exception instanceof LoadLockedException) {
            return exception.getMessage();
        }
        String message = exception.getMessage();
        return message == null ? exception.getClass().getName() : exception.getClass().getSimpleName() + ": " + message;
    }

    static String toolVersion()
    {
        Properties properties = new Properties();
        try (InputStream input = TracewhCommand.class.getResourceAsStream("/dev/tracewh/version.properties")) {
            if (input != null) {
                properties.load(input);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }

    static final class Version
            implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            return new String[] {"tracewh " + toolVersion()};
        }
    }
}
