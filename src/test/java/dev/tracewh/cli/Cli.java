package dev.tracewh.cli;

import dev.tracewh.testing.ChildJvm;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Copies the bundled Claude Code examples to {@code target}, keeping their modification times, and returns it. */
    static Path copyExamples(Path target)
            throws IOException
    {
        Path examples = Path.of("examples/claude_code");
        try (Stream<Path> files = Files.walk(examples)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(examples.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                }
                else {
                    Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    /**
     * tracewh in a child JVM with {@code jvmOptions}, and {@code environment} added to this one's without PostgreSQL's
     * and tracewh's own variables; its output goes through files in {@code folder}.
     */
    static Run inChildJvm(Path folder, List<String> jvmOptions, Map<String, String> environment, String... args)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaCommand());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tracewh.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(folder.resolve("child.out").toFile())
                .redirectError(folder.resolve("child.err").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PG") || name.startsWith("TRACEWH_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "tracewh " + String.join(" ", args) + " did not finish");
        return new Run(process.exitValue(), Files.readString(folder.resolve("child.out")), Files.readString(folder.resolve("child.err")));
    }

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
