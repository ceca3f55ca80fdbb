package dev.tracewh.cli;

import dev.tracewh.warehouse.Warehouse;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

import static dev.tracewh.warehouse.schema.Tables.LOAD_RUNS;

@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {
                "Shows recent loads, newest first: when, status, seconds, files loaded and failed, messages inserted, errors.",
                "(a row fits in 120 columns); --wide, --csv and --json show every count, the host, the failure and the arguments."})
final class RunsCommand
        implements Callable<Integer>
{
    @Mixin
    DatabaseOptions database;

    @Mixin
    ResultOutput output;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--wide", description = "Every column: all counts, source host, bytes read, failure, arguments.")
    boolean wide;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws IOException
    {
        output.validate();
        Limits.check(limit);
        // CSV and JSON are for programs, which want every column whatever its width
        boolean everyColumn = wide || output.csv || output.json;
        List<Field<?>> columns = everyColumn
                ? List.of(LOAD_RUNS.RUN_ID, LOAD_RUNS.SOURCE_HOST, LOAD_RUNS.STARTED_AT, LOAD_RUNS.STATUS, LOAD_RUNS.SECONDS,
                        LOAD_RUNS.FILES_SCANNED, LOAD_RUNS.FILES_LOADED, LOAD_RUNS.FILES_UNCHANGED, LOAD_RUNS.FILES_FAILED, LOAD_RUNS.FILES_MISSING,
                        LOAD_RUNS.TRACES_INSERTED, LOAD_RUNS.TRACES_UPDATED, LOAD_RUNS.MESSAGES_INSERTED, LOAD_RUNS.ERRORS,
                        LOAD_RUNS.TRACES_DELETED, LOAD_RUNS.BYTES_READ, LOAD_RUNS.FAILURE, LOAD_RUNS.ARGUMENTS)
                : List.of(LOAD_RUNS.RUN_ID, LOAD_RUNS.STARTED_AT, LOAD_RUNS.STATUS,
                        DSL.round(LOAD_RUNS.SECONDS.cast(SQLDataType.NUMERIC), 1).as(LOAD_RUNS.SECONDS.getName()),
                        LOAD_RUNS.FILES_LOADED, LOAD_RUNS.FILES_FAILED, LOAD_RUNS.MESSAGES_INSERTED, LOAD_RUNS.ERRORS);
        try (Warehouse warehouse = database.openReadOnly()) {
            var runs = warehouse.dsl()
                    .select(columns)
                    .from(LOAD_RUNS)
                    .orderBy(LOAD_RUNS.RUN_ID.desc())
                    .limit(limit)
                    .fetch();
            if (everyColumn) {
                // runs of tracewh versions that stored --db as given may hold a password
                Secrets secrets = Secrets.of(spec.commandLine().getParseResult().originalArgs(), System.getenv());
                runs.forEach(run -> run.set(LOAD_RUNS.ARGUMENTS, secrets.redact(run.get(LOAD_RUNS.ARGUMENTS))));
            }
            output.print(runs, runs, spec.commandLine().getOut());
        }
        return ExitCodes.SUCCESS;
    }
}
