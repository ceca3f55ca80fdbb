package dev.tracewh.cli;

import dev.tracewh.load.LoadLockedException;
import dev.tracewh.warehouse.WarehouseInUseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

@Command(name = "tracewh",
        mixinStandardHelpOptions = true,
        versionProvider = TracewhCommand.Version.class,
        description = "Loads coding-agent session traces into a SQL warehouse (embedded H2 or PostgreSQL).",
        subcommands = {LoadCommand.class, MigrateCommand.class, CompactCommand.class, SqlCommand.class, ExportCommand.class, ScoresCommand.class, JudgeCommand.class,
                GrantReadCommand.class, RunsCommand.class, ErrorsCommand.class, SecretsCommand.class, CheckCommand.class, PricesCommand.class, PurgeCommand.class, DevCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:partial: some lines or files could not be loaded (see tracewh errors)",
                "2:failed: database unreachable, query or I/O error",
                "3:usage error: bad option, argument or path",
                "4:another load holds the warehouse lock"})
public final class TracewhCommand
        implements Callable<Integer>
{
    static final String VERBOSE = "--verbose";

    @Option(names = VERBOSE, scope = ScopeType.INHERIT,
            description = "On an error, print the whole of it (the stack trace, a SQL statement) instead of one or two lines naming the cause.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** {@code tracewh} alone: what it can do, on stderr, as for any other incomplete command line. */
    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The configured command line: exit codes and one-line error messages for every subcommand. */
    public static CommandLine commandLine()
    {
        CommandLine commandLine = new CommandLine(new TracewhCommand());
        commandLine.setExitCodeExceptionMapper(exception -> exception instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.FAILED);
        // messages of picocli, drivers and Flyway may quote an argument or a URL: never with its password
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine failed = exception.getCommandLine();
            String message = Secrets.of(List.of(args), System.getenv()).redact(exception.getMessage());
            if (failed.getCommandSpec().userObject() instanceof LoadCommand && List.of(args).contains("--json")) {
                // load --json ends with its line whatever happened, a command line it cannot parse included
                failed.getOut().println(LoadSummaryJson.failure(null, "failed", ExitCodes.USAGE, message));
                failed.getOut().flush();
            }
            failed.getErr().println("tracewh: " + message);
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(exception, failed.getErr())) {
                failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            }
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (shuttingDown()) {
                // Ctrl-C: the load's shutdown hook says so; what the closing database made fail here is no news
                return ExitCodes.FAILED;
            }
            if (ClosedOutputException.causes(exception)) {
                return ExitCodes.SUCCESS;
            }
            Secrets secrets = Secrets.of(parseResult.originalArgs(), System.getenv());
            if (verbose(parseResult)) {
                StringWriter trace = new StringWriter();
                exception.printStackTrace(new PrintWriter(trace));
                failed.getErr().print(secrets.redact(trace.toString()));
            }
            ErrorMessage message = ErrorMessage.of(exception);
            failed.getErr().println("tracewh: " + secrets.redact(message.text()));
            if (message.shortened() && !verbose(parseResult)) {
                failed.getErr().println("(" + VERBOSE + " shows the whole error)");
            }
            return exitCode(exception);
        });
        return commandLine;
    }

    static int exitCode(Exception exception)
    {
        if (exception instanceof LoadLockedException || exception instanceof WarehouseInUseException) {
            return ExitCodes.LOCKED;
        }
        return exception instanceof UsageException ? ExitCodes.USAGE : ExitCodes.FAILED;
    }

    private static boolean verbose(CommandLine.ParseResult parseResult)
    {
        for (CommandLine.ParseResult each = parseResult; each != null; each = each.subcommand()) {
            if (each.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /** The JVM shuts down (Ctrl-C, SIGTERM) once its shutdown hooks can no longer be added. */
    static boolean shuttingDown()
    {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        }
        catch (IllegalStateException shutdownInProgress) {
            return true;
        }
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
