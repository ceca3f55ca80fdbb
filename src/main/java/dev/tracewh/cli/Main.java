package dev.tracewh.cli;

import java.util.List;

/** Entry point of the {@code tracewh} command. */
public final class Main
{
    private static final String DEFAULT_LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String FLYWAY_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.flywaydb";

    private Main() {}

    public static void main(String[] args)
    {
        // Flyway logs a failed migration with its stack traces; the error reaches the user in one or two lines anyway.
        // A log level set on the java command line (-Dorg.slf4j.simpleLogger...) wins.
        boolean levelGiven = System.getProperty(DEFAULT_LOG_LEVEL) != null || System.getProperty(FLYWAY_LOG_LEVEL) != null;
        if (!levelGiven && !List.of(args).contains(TracewhCommand.VERBOSE)) {
            System.setProperty(FLYWAY_LOG_LEVEL, "off");
        }
        System.exit(TracewhCommand.commandLine().execute(args));
    }
}
