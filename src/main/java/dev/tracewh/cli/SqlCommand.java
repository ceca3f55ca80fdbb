package dev.tracewh.cli;

import dev.tracewh.warehouse.Warehouse;
import org.jooq.JSONFormat;
import org.jooq.Result;
import org.jooq.TXTFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Runs one SQL query against the warehouse and prints the result as a table (or CSV / JSON).")
final class SqlCommand
        implements Callable<Integer>
{
    @Mixin
    DatabaseOptions database;

    @Parameters(paramLabel = "QUERY", description = "The SQL to run, e.g. \"select source_kind, count(*) from sessions group by 1\".")
    String query;

    @Option(names = "--csv", description = "Print CSV with a header line.")
    boolean csv;

    @Option(names = "--json", description = "Print a JSON array of objects.")
    boolean json;

    @Option(names = "--max-width", paramLabel = "N", defaultValue = "60", description = "Widest table column before values are cut (default: ${DEFAULT-VALUE}).")
    int maxWidth;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        if (csv && json) {
            throw new UsageException("choose one of --csv and --json");
        }
        try (Warehouse warehouse = database.openMigrated()) {
            Result<?> result = warehouse.dsl().fetch(query);
            PrintWriter out = spec.commandLine().getOut();
            if (csv) {
                out.print(result.formatCSV());
            }
            else if (json) {
                out.println(result.formatJSON(JSONFormat.DEFAULT_FOR_RECORDS.header(false).recordFormat(JSONFormat.RecordFormat.OBJECT)));
            }
            else {
                out.print(result.format(TXTFormat.DEFAULT.maxRows(Integer.MAX_VALUE).maxColWidth(maxWidth)));
            }
            out.flush();
        }
        return ExitCodes.SUCCESS;
    }
}
