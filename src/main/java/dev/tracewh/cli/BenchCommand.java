package dev.tracewh.cli;

import dev.tracewh.devtools.Benchmark;
import dev.tracewh.devtools.BenchmarkTable;
import dev.tracewh.devtools.CorpusFormat;
import dev.tracewh.devtools.Machine;
import dev.tracewh.devtools.PostgresTarget;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmarks loading a corpus into H2 and PostgreSQL.",
        description = {
                "Measures parse-only throughput (in a fresh JVM, and warm), a full first load into a fresh warehouse, a reload with nothing "
                        + "changed and a reload after appending a turn to 1%% of the files (truncated back afterwards), a full load with secret "
                        + "scanning off into another fresh warehouse (the price of --secrets redact), with peak heap and RSS, the psql \\copy floor "
                        + "of the same bytes and, with --ccusage, ccusage's daily report over the same corpus, timed, and its cost per UTC day "
                        + "(claude daily --offline --json --timezone UTC --mode calculate, untimed) against v_cost_daily after the first full load.",
                "The PostgreSQL database is dropped and recreated; its name must start with bench_. "
                        + "Run the JVM with the heap limit you want numbers for (-Xmx). "
                        + "Exits with 1 when a phase failed (out of memory, say); the table shows which."})
final class BenchCommand
        implements Callable<Integer>
{
    @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Corpus root (as written by gen-corpus).")
    Path corpus;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = GenCorpusCommand.FormatConverter.class,
            description = "claude_code or codex.")
    CorpusFormat format;

    @Option(names = "--pg-url", paramLabel = "URL", defaultValue = "jdbc:postgresql://127.0.0.1:5432/bench_tracewh?user=postgres",
            description = "PostgreSQL database to recreate (default: ${DEFAULT-VALUE}).")
    String postgresUrl;

    @Option(names = "--h2-dir", paramLabel = "DIR", defaultValue = "/tmp/tracewh-bench/h2",
            description = "Folder of the H2 warehouse file, deleted first (default: ${DEFAULT-VALUE}).")
    Path h2Directory;

    @Option(names = "--skip-h2", description = "Do not benchmark H2.")
    boolean skipH2;

    @Option(names = "--skip-pg", description = "Do not benchmark PostgreSQL (nor the psql \\copy baseline).")
    boolean skipPostgres;

    @Option(names = "--ccusage", paramLabel = "FILE",
            description = "ccusage executable: time its daily --offline report over the same Claude Code corpus (the parse-only baseline) "
                    + "and compare its cost per UTC day with tracewh's.")
    Path ccusage;

    @Option(names = "--append-fraction", paramLabel = "F", defaultValue = "0.01",
            description = "Share of the files to append to before the last reload (default: ${DEFAULT-VALUE}).")
    double appendFraction;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Append the results as a markdown section to FILE.")
    Path markdown;

    @Option(names = "--title", paramLabel = "TEXT", description = "Heading of the markdown section (default: format and corpus size).")
    String title;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws IOException, SQLException, InterruptedException
    {
        Benchmark.Settings settings = new Benchmark.Settings(corpus, format,
                skipH2 ? Optional.empty() : Optional.of(h2Directory),
                skipPostgres ? Optional.empty() : Optional.of(PostgresTarget.parse(postgresUrl)),
                Optional.ofNullable(ccusage), appendFraction);
        PrintWriter out = spec.commandLine().getOut();
        Benchmark.Report report = new Benchmark(settings, spec.commandLine().getErr()).run();
        Machine machine = Machine.current();
        out.println();
        BenchmarkTable.print(report, machine, out);
        if (markdown != null) {
            String heading = title != null ? title : "%s, %.0f MB".formatted(format.id(), report.bytes() / 1e6);
            Files.writeString(markdown, BenchmarkTable.markdown(report, machine, heading), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        boolean failed = report.phases().stream().anyMatch(phase -> phase.failure() != null);
        return failed ? ExitCodes.PARTIAL : ExitCodes.SUCCESS;
    }
}
