package dev.tracewh.cli;

import picocli.CommandLine;

/** Entry point of the {@code tracewh} command. */
public final class Main
{
    private Main() {}

    public static void main(String[] args)
    {
        System.exit(TracewhCommand.commandLine().execute(args));
    }
}
