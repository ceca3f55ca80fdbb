package dev.tracewh.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What starting tracewh in a child JVM needs: a real process, to kill it or to give it an environment of its own. */
public final class ChildJvm
{
    private ChildJvm() {}

    /** The java command of this JVM. */
    public static String javaCommand()
    {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Starts {@code tracewh args} with {@code jvmOptions}, its stdout and stderr both in {@code log}. */
    public static Process start(Path log, List<String> jvmOptions, String... args)
            throws IOException
    {
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tracewh.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** What a child started with {@link #start} has written to {@code log} so far. */
    public static String log(Path log)
    {
        try {
            return Files.readString(log);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
