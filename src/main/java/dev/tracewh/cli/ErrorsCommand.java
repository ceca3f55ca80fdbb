package dev.tracewh.cli;

import dev.tracewh.warehouse.Warehouse;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

import static dev.tracewh.warehouse.schema.Tables.LOAD_ERRORS;
import static dev.tracewh.warehouse.schema.Tables.LOAD_RUNS;

@Command(name = "errors", mixinStandardHelpOptions = true,
        description = "Shows the lines and files loads could not read: file, line, error class, message, excerpt.")
final class ErrorsCommand
        implements Callable<Integer>
{
    @Mixin
    DatabaseOptions database;

    @Mixin
    ResultOutput output;

    @Option(names = "--run", paramLabel = "ID", description = "Only this run's errors (default: the latest run).")
    Long runId;

    @Option(names = "--all", description = "Errors of every run.")
    boolean all;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "How many errors (default: ${DEFAULT-VALUE}).")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws IOException
    {
        output.validate();
        Limits.check(limit);
        try (Warehouse warehouse = database.openReadOnly()) {
            Condition runs = all ? DSL.noCondition()
                    : runId != null ? LOAD_ERRORS.RUN_ID.eq(runId)
                    : LOAD_ERRORS.RUN_ID.eq(DSL.select(DSL.max(LOAD_RUNS.as("latest").RUN_ID)).from(LOAD_RUNS.as("latest")));
            var rows = warehouse.dsl()
                    .select(LOAD_ERRORS.RUN_ID, LOAD_RUNS.SOURCE_HOST, LOAD_ERRORS.SOURCE_PATH, LOAD_ERRORS.LINE_NUMBER, LOAD_ERRORS.ERROR_CLASS,
                            LOAD_ERRORS.MESSAGE, LOAD_ERRORS.EXCERPT)
                    .from(LOAD_ERRORS)
                    .join(LOAD_RUNS).on(LOAD_RUNS.RUN_ID.eq(LOAD_ERRORS.RUN_ID))
                    .where(runs)
                    .orderBy(LOAD_ERRORS.RUN_ID.desc(), LOAD_ERRORS.SOURCE_PATH, LOAD_ERRORS.LINE_NUMBER)
                    .limit(limit)
                    .fetch();
            output.print(rows, rows, spec.commandLine().getOut());
        }
        return ExitCodes.SUCCESS;
    }
}
