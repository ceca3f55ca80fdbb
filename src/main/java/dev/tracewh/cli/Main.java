package dev.tracewh.cli;

/** Entry point of the {@code tracewh} command. */
public final class Main
{
    private Main() {}

    public static void main(String[] args)
    {
        System.exit(TracewhCommand.commandLine().execute(args));
    }
}
