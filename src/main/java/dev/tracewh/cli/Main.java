package dev.tracewh.cli;

import java.util.List;

/** Entry point of the {@code tracewh} command. */
public final class Main
{
    private Main() {}

    public static void main(String[] args)
    {
        if (!List.of(args).contains(TracewhCommand.VERBOSE)) {
            // Flyway logs a failed migration with its stack traces; the error reaches the user in one or two lines anyway
            System.setProperty("org.slf4j.simpleLogger.log.org.flywaydb", "off");
        }
        System.exit(TracewhCommand.commandLine().execute(args));
    }
}
