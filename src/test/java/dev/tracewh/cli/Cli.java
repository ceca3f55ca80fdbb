package dev.tracewh.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The command line, run in this JVM as a user runs it, with what it printed. */
final class Cli
{
    record Run(int exitCode, String out, String err)
    {
        /** Everything it printed, on either stream. */
        String all()
        {
            return out + err;
        }
    }

    private Cli() {}

    static Run run(String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = TracewhCommand.commandLine()
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
