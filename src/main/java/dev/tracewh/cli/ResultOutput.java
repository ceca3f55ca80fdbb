package dev.tracewh.cli;

import org.jooq.JSONFormat;
import org.jooq.Result;
import org.jooq.TXTFormat;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code --csv} / {@code --json} and the table layout shared by every command that prints rows. */
final class ResultOutput
{
    @Option(names = "--csv", description = "Print CSV with a header line.")
    boolean csv;

    @Option(names = "--json", description = "Print a JSON array of objects.")
    boolean json;

    @Option(names = "--max-width", paramLabel = "N", defaultValue = "60", description = "Widest table column before values are cut (default: ${DEFAULT-VALUE}).")
    int maxWidth;

    void print(Result<?> result, PrintWriter out)
    {
        if (csv && json) {
            throw new UsageException("choose one of --csv and --json");
        }
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
}
