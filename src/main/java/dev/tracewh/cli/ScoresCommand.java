package dev.tracewh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.distill.ScoreImporter;
import dev.tracewh.distill.ScoringResult;
import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "scores", mixinStandardHelpOptions = true,
        description = "Stores judge scores (rubrics in score_configs, runs in judge_runs, scores in scores).",
        subcommands = {ScoresCommand.Import.class})
final class ScoresCommand
{
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {
                    "Imports scores from a JSONL or CSV file (CSV: a header line; chosen by the .csv extension) into an import judge run.",
                    "Rows are either long rows {trace_id, name, value | label, explanation?} (plus target_type message|tool_call and "
                            + "target_key to score a message ordinal or a tool call id), or NVIDIA Data Designer output rows: trace_id, a judge "
                            + "column mapping each rubric to {score, reasoning}, and trace_digest.training_value.",
                    "A row naming an unknown trace, or a value outside its rubric (score_configs), is reported with its line number "
                            + "and skipped; the rest is imported. Importing again under the same --judge name updates that run's scores."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every row imported", "1:some rows were skipped (listed on stderr)", "2:failed", "3:usage error"})
    static final class Import
            implements Callable<Integer>
    {
        @Mixin
        DatabaseOptions database;

        @Parameters(paramLabel = "FILE", description = "The JSONL or CSV score file.")
        Path file;

        @Option(names = "--judge", paramLabel = "NAME", description = "The judge run's name (default: the file name without its extension).")
        String judge;

        @Option(names = "--model", paramLabel = "MODEL", description = "The judge model, recorded with the run.")
        String model;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            if (!Files.isRegularFile(file)) {
                throw new UsageException("not a file: " + file);
            }
            String name = judge != null && !judge.isBlank() ? judge : stem(file);
            try (Warehouse warehouse = database.openMigrated()) {
                ScoringResult result = new ScoreImporter(warehouse.dsl(), new ObjectMapper()).importFile(file, name, Optional.ofNullable(model));
                return report(result, "line", "import", spec.commandLine().getErr());
            }
        }

        private static String stem(Path file)
        {
            String name = file.getFileName().toString();
            int dot = name.lastIndexOf('.');
            return dot > 0 ? name.substring(0, dot) : name;
        }
    }

    /** Prints the skipped rows and a summary to stderr; exit code 1 when rows were skipped. */
    static int report(ScoringResult result, String positionName, String kind, PrintWriter err)
    {
        result.issues().forEach(issue -> err.printf("%s %d: %s%n", positionName, issue.position(), issue.message()));
        err.printf("judge run %d '%s' (%s): %,d scores written, %,d skipped%n",
                result.judgeRunId(), result.judgeName(), kind, result.written(), result.issues().size());
        err.flush();
        return result.issues().isEmpty() ? ExitCodes.SUCCESS : ExitCodes.PARTIAL;
    }
}
