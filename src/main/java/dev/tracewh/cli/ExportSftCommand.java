package dev.tracewh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.distill.JudgeRuns;
import dev.tracewh.distill.SftExport;
import dev.tracewh.distill.SftExporter;
import dev.tracewh.distill.SftSelection;
import dev.tracewh.secrets.SecretFilter;
import dev.tracewh.usersql.UserCondition;
import dev.tracewh.usersql.UserSqlException;
import dev.tracewh.usersql.UserSqlSession;
import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

@Command(name = "sft", mixinStandardHelpOptions = true,
        description = {
                "Writes chosen traces as chat fine-tuning JSONL (OpenAI / Hugging Face TRL).",
                "One {\"messages\": [...], \"metadata\": {...}} per trace, ordered by trace_id; content is plain text, assistant tool_calls "
                        + "are [{id, type: function, function: {name, arguments}}] and tool messages carry tool_call_id. "
                        + "Left out: meta lines, slash commands and their output, compaction summaries, <synthetic> notices, "
                        + "and sub-agent traces (unless --include-sidechains). Every tool call is kept only with its result, right after it. "
                        + "A conversation is the trace's active path (what a rewind abandoned is left out) unless --all-branches. "
                        + "The export is recorded in exports (filter, options, counts, SHA-256) and export_items (trace ids)."})
final class ExportSftCommand
        implements Callable<Integer>
{
    @Mixin
    DatabaseOptions database;

    @Option(names = "--where", paramLabel = "SQL",
            description = "One SQL condition on v_sft_candidates, e.g. \"has_user_task and ends_with_answer\" (default: " + SftSelection.DEFAULT_WHERE + ").")
    String where;

    @Option(names = "--judge", paramLabel = "RUN",
            description = "Take the rubric scores and recommended_for_sft from this judge run (an id, or a name for its latest run) instead of each trace's latest. "
                    + "Repeat it to combine runs, e.g. --judge trace-digest --judge sft-quality: each rubric from the latest of them that scored it.")
    List<String> judges = List.of();

    @Option(names = "--include-reasoning", description = "Keep the assistant's reasoning as reasoning_content.")
    boolean includeReasoning;

    @Option(names = "--include-sidechains", description = "Also export sub-agent traces.")
    boolean includeSidechains;

    @Option(names = "--all-branches", description = "Keep every message, also those a rewind abandoned, in ordinal order.")
    boolean allBranches;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The JSONL file to write (replaced only once the export succeeded), or - for stdout.")
    Path out;

    @Mixin
    ExportSecretsOptions secrets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws IOException
    {
        SecretFilter filter = secrets.filter();
        try (Warehouse warehouse = database.openReadOnly();
                UserSqlSession session = UserSqlSession.open(warehouse)) {
            List<Long> judgeRunIds = new ArrayList<>();
            for (String judge : judges) {
                OptionalLong judgeRunId = JudgeRuns.find(warehouse.dsl(), judge);
                if (judgeRunId.isEmpty()) {
                    throw new UsageException("no judge run with id or name '" + judge + "'");
                }
                judgeRunIds.add(judgeRunId.getAsLong());
            }
            Optional<UserCondition> condition = where == null || where.isBlank()
                    ? Optional.empty()
                    : Optional.of(ExportCommand.where(where, warehouse, "v_sft_candidates"));
            SftSelection selection = new SftSelection(condition, judgeRunIds, includeSidechains, includeReasoning, allBranches);
            SftExport export;
            try (OutputFile output = OutputFile.open(out)) {
                export = new SftExporter(warehouse.dsl(), session.conditionReader(), new ObjectMapper()).export(selection, out.toString(), output.stream(), filter);
                output.commit();
            }
            ExportSecretsOptions.report(filter, spec.commandLine().getErr());
            spec.commandLine().getErr().printf("exported %,d traces (%,d messages) to %s as export %d, sha256 %s%s%n",
                    export.traceCount(), export.messageCount(), out, export.exportId(), export.sha256(),
                    export.skippedTraces() == 0 ? "" : "; %,d selected traces had no user and assistant message left".formatted(export.skippedTraces()));
        }
        catch (UserSqlException e) {
            throw new UsageException(e.getMessage());
        }
        return ExitCodes.SUCCESS;
    }
}
