package dev.tracewh.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jooq.Fields;
import org.jooq.Record;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --csv} / {@code --json} and the table layout shared by every command that prints rows. Rows are printed
 * as they come ({@link TableRows}, {@link CsvRows}, {@link JsonRows}), so a query's result never has to fit in memory;
 * a reader of standard output that goes away ({@code | head}) stops the command ({@link ClosedOutputException}).
 */
final class ResultOutput
{
    /** How many rows between two looks at whether standard output's reader is still there. */
    private static final int CHECK_EVERY = 256;

    @Option(names = "--csv", description = "Print CSV with a header line.")
    boolean csv;

    @Option(names = "--json", description = "Print a JSON array of objects; JSON columns as JSON values.")
    boolean json;

    @Option(names = "--max-width", paramLabel = "N", defaultValue = "60",
            description = "Widest table column before values are shortened; 0 for no limit (default: ${DEFAULT-VALUE}).")
    int maxWidth;

    @Option(names = "--null", paramLabel = "TEXT", defaultValue = "", description = "What a null prints as in tables and CSV (default: nothing).")
    String nullText;

    /** Refuses options that do not go together; commands call it before they open the warehouse. */
    void validate()
    {
        if (csv && json) {
            throw new UsageException("choose one of --csv and --json");
        }
        if (maxWidth < 0) {
            throw new UsageException("--max-width must be 0 (no limit) or more, got " + maxWidth);
        }
    }

    void print(Fields fields, Iterable<? extends Record> rows, PrintWriter out)
            throws IOException
    {
        validate();
        RowWriter writer = csv ? new CsvRows(out, nullText)
                : json ? new JsonRows(out, new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS))
                : new TableRows(out, maxWidth, nullText);
        List<RowColumn> columns = RowColumn.of(fields);
        writer.start(columns);
        long count = 0;
        for (Record row : rows) {
            writer.row(row.intoArray());
            if (++count % CHECK_EVERY == 0) {
                checkOpen(out);
            }
        }
        writer.end();
        out.flush();
        checkOpen(out);
    }

    /**
     * A PrintWriter keeps its errors to itself, and so does {@link System#out} under it: either one having failed
     * means standard output's reader went away when it is a pipe, and a failed write (a full disk) otherwise.
     */
    private static void checkOpen(PrintWriter out)
            throws IOException
    {
        if (out.checkError() || System.out.checkError()) {
            if (standardOutputIsPipe()) {
                throw new ClosedOutputException(null);
            }
            throw new IOException("writing to standard output failed (is its disk full?)");
        }
    }

    /** Whether standard output is a pipe; true where the system does not say (no /proc), as pipes are the usual case. */
    private static boolean standardOutputIsPipe()
    {
        Path descriptor = Path.of("/proc/self/fd/1");
        if (!Files.exists(descriptor, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try {
            return Files.readSymbolicLink(descriptor).toString().startsWith("pipe:");
        }
        catch (IOException e) {
            return true;
        }
    }
}
