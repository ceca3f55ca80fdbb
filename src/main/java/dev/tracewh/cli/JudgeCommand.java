package dev.tracewh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.distill.JudgeRunner;
import dev.tracewh.distill.SqlJudge;
import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "judge", mixinStandardHelpOptions = true,
        description = "SQL judges: one SELECT each, returning trace_id, name, value, label, explanation (shipped in db/judges).",
        subcommands = {JudgeCommand.Run.class, JudgeCommand.ListJudges.class})
final class JudgeCommand
{
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {
                    "Runs SQL judges and stores each one's rows as a new judge run (kind sql, with the SHA-256 of its SQL).",
                    "A judge is a shipped judge's name (see `tracewh judge list`) or a .sql file."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every row stored", "1:some rows were skipped (listed on stderr)", "2:failed", "3:usage error"})
    static final class Run
            implements Callable<Integer>
    {
        @Mixin
        DatabaseOptions database;

        @Parameters(paramLabel = "NAME|FILE", arity = "0..*", description = "Judges to run, in order.")
        List<String> judges = new ArrayList<>();

        @Option(names = "--all", description = "Run every shipped judge.")
        boolean all;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
                throws IOException
        {
            List<SqlJudge> selected = new ArrayList<>();
            if (all) {
                selected.addAll(SqlJudge.builtIn());
            }
            for (String judge : judges) {
                selected.add(resolve(judge));
            }
            if (selected.isEmpty()) {
                throw new UsageException("name a judge or use --all; shipped judges: " + shippedNames());
            }
            int exitCode = ExitCodes.SUCCESS;
            try (Warehouse warehouse = database.openMigrated()) {
                JudgeRunner runner = new JudgeRunner(warehouse.dsl(), new ObjectMapper());
                for (SqlJudge judge : selected) {
                    exitCode = Math.max(exitCode, ScoresCommand.report(runner.run(judge), "row", "sql", spec.commandLine().getErr()));
                }
            }
            return exitCode;
        }

        private static SqlJudge resolve(String judge)
                throws IOException
        {
            Path file = Path.of(judge);
            if (Files.isRegularFile(file)) {
                return SqlJudge.fromFile(file);
            }
            if (judge.endsWith(".sql")) {
                throw new UsageException("judge file not found: " + judge);
            }
            return SqlJudge.builtIn(judge).orElseThrow(() ->
                    new UsageException("unknown judge '" + judge + "'; shipped judges: " + shippedNames() + " (or give a .sql file)"));
        }

        private static String shippedNames()
        {
            return SqlJudge.builtIn().stream().map(SqlJudge::name).collect(Collectors.joining(", "));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the shipped SQL judges with their descriptions.")
    static final class ListJudges
            implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            List<SqlJudge> judges = SqlJudge.builtIn();
            int width = judges.stream().mapToInt(judge -> judge.name().length()).max().orElse(0);
            PrintWriter out = spec.commandLine().getOut();
            for (SqlJudge judge : judges) {
                out.printf("%-" + width + "s  %s%n", judge.name(), judge.description());
            }
            out.flush();
            return ExitCodes.SUCCESS;
        }
    }
}
