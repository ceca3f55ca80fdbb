package dev.tracewh.devtools;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Renders a benchmark report as a plain-text table for the terminal and as a markdown section. */
public final class BenchmarkTable
{
    private BenchmarkTable() {}

    public static void print(Benchmark.Report report, Machine machine, PrintWriter out)
    {
        out.printf("%s corpus %s: %,d files, %.1f MB%n", report.settings().format().id(), report.settings().corpus(), report.files(), report.bytes() / 1e6);
        out.printf("machine: %s%n%n", machine);
        out.printf("%-22s %-10s %8s %8s %7s %10s %10s %10s %8s %8s %8s %8s %8s  %s%n",
                "phase", "target", "seconds", "MB/s", "files", "peak heap", "after GC", "peak RSS", "CPU s", "JIT CPU", "GC CPU", "GC pause", "server",
                "note");
        for (Benchmark.Phase phase : report.phases()) {
            ResourceUse use = phase.use();
            out.printf("%-22s %-10s %8.1f %8.1f %,7d %7.0f MB %7.0f MB %7.0f MB %8.1f %8s %8s %8.1f %8s  %s%n",
                    phase.name(), phase.target(), use.seconds(), phase.megabytesPerSecond(), phase.files(), use.peakHeapBytes() / 1e6,
                    use.maxHeapAfterGcBytes() / 1e6, use.peakRssBytes() / 1e6, use.cpuSeconds(), seconds(use.jitCpuSeconds()),
                    seconds(use.gcCpuSeconds()), use.gcSeconds(), seconds(use.serverCpuSeconds()), note(report, phase));
        }
        report.ccusage().ifPresent(ccusage -> out.printf("%-33s %8.1f %8.1f%n", "ccusage daily --offline", ccusage.seconds(),
                ccusage.megabytesPerSecond()));
        for (CopyBaseline.Result copy : report.copies()) {
            out.printf("%-33s %8.1f %8.1f %7s %32s %8s %26s %8s  table %.1f MB%n", "psql \\copy, " + copy.storage().name().toLowerCase(Locale.ROOT),
                    copy.seconds(), copy.megabytesPerSecond(), "", "", seconds(copy.psqlCpuSeconds()), "", seconds(copy.serverCpuSeconds()),
                    copy.tableBytes() / 1e6);
        }
        for (Map.Entry<String, Long> size : report.warehouseBytes().entrySet()) {
            out.printf("warehouse size, %s: %.1f MB%n", size.getKey(), size.getValue() / 1e6);
        }
        parseRatio(report).ifPresent(out::println);
        secretsRatio(report).ifPresent(out::println);
        ratios(report).ifPresent(out::println);
        cpuBudget(report, machine).forEach(out::println);
        report.costs().ifPresent(costs -> {
            out.println();
            costs.summary().forEach(out::println);
        });
        out.flush();
    }

    public static String markdown(Benchmark.Report report, Machine machine, String title)
    {
        StringBuilder md = new StringBuilder();
        md.append("\n### ").append(title).append(" (").append(LocalDate.now(ZoneOffset.UTC)).append(")\n\n");
        md.append("- Corpus: `").append(report.settings().corpus()).append("`, ").append(report.settings().format().id())
                .append(", %,d files, %.1f MB".formatted(report.files(), report.bytes() / 1e6)).append('\n');
        md.append("- Machine: ").append(machine).append('\n');
        md.append("- JVM arguments: `").append(machine.jvmArguments().isBlank() ? "(none)" : machine.jvmArguments()).append("`\n");
        md.append("- Append step: one turn appended to %,d files (%.2f MB), reloaded, then truncated back\n\n"
                .formatted(report.appendedFiles(), report.appendedBytes() / 1e6));
        md.append("| Phase | Target | Seconds | MB/s | Files read | Peak heap MB | Heap after GC MB | Peak RSS MB | CPU s | JIT CPU s | GC CPU s "
                + "| GC pause s | Server CPU s | Note |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Benchmark.Phase phase : report.phases()) {
            ResourceUse use = phase.use();
            md.append("| %s | %s | %.1f | %.1f | %,d | %.0f | %.0f | %.0f | %.1f | %s | %s | %.1f | %s | %s |\n".formatted(phase.name(), phase.target(),
                    use.seconds(), phase.megabytesPerSecond(), phase.files(), use.peakHeapBytes() / 1e6, use.maxHeapAfterGcBytes() / 1e6,
                    use.peakRssBytes() / 1e6, use.cpuSeconds(), seconds(use.jitCpuSeconds()), seconds(use.gcCpuSeconds()), use.gcSeconds(),
                    seconds(use.serverCpuSeconds()), note(report, phase).replace("|", "\\|")));
        }
        report.ccusage().ifPresent(ccusage -> md.append("| ccusage `daily --offline` | - | %.1f | %.1f | %,d | | | | | | | | | |\n".formatted(
                ccusage.seconds(), ccusage.megabytesPerSecond(), report.files())));
        for (CopyBaseline.Result copy : report.copies()) {
            md.append("| psql `\\copy`, %s | PostgreSQL | %.1f | %.1f | %,d | | | | %s (psql) | | | | %s | table %.1f MB |\n".formatted(
                    copy.storage().description(), copy.seconds(), copy.megabytesPerSecond(), report.files(), seconds(copy.psqlCpuSeconds()),
                    seconds(copy.serverCpuSeconds()), copy.tableBytes() / 1e6));
        }
        md.append('\n');
        for (Map.Entry<String, Long> size : report.warehouseBytes().entrySet()) {
            md.append("- Warehouse size after the loads, %s: %.1f MB\n".formatted(size.getKey(), size.getValue() / 1e6));
        }
        parseRatio(report).ifPresent(ratio -> md.append("- ").append(ratio).append('\n'));
        secretsRatio(report).ifPresent(ratio -> md.append("- ").append(ratio).append('\n'));
        ratios(report).ifPresent(ratios -> md.append("- ").append(ratios).append('\n'));
        cpuBudget(report, machine).forEach(line -> md.append("- ").append(line).append('\n'));
        report.costs().ifPresent(costs -> costs.summary().forEach(line -> md.append("- ").append(line.strip()).append('\n')));
        return md.toString();
    }

    private static String note(Benchmark.Report report, Benchmark.Phase phase)
    {
        if (phase.failure() != null) {
            return "FAILED: " + phase.failure();
        }
        if (phase.name().equals(Benchmark.APPEND_RELOAD)) {
            return "%,d files appended to".formatted(report.appendedFiles());
        }
        return "";
    }

    /** A CPU time, or "-" where it could not be read. */
    private static String seconds(double value)
    {
        return Double.isNaN(value) ? "-" : "%.1f".formatted(value);
    }

    /**
     * Where the CPU of the PostgreSQL full load and of each {@code \copy} went, and the wall time that CPU needs at
     * least on this machine's cores: when it is close to the time taken, the machine's cores are what limits it.
     */
    private static List<String> cpuBudget(Benchmark.Report report, Machine machine)
    {
        Optional<ResourceUse> load = report.phase(Benchmark.FULL_LOAD, Benchmark.POSTGRESQL)
                .filter(phase -> phase.failure() == null && !Double.isNaN(phase.use().serverCpuSeconds()))
                .map(Benchmark.Phase::use);
        if (load.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        ResourceUse use = load.get();
        double total = use.cpuSeconds() + use.serverCpuSeconds();
        lines.add("CPU of the full PostgreSQL load: %.1f s (JVM %.1f, of which JIT %s and GC %s; server %.1f), at least %.1f s on %d cores; took %.1f s"
                .formatted(total, use.cpuSeconds(), seconds(use.jitCpuSeconds()), seconds(use.gcCpuSeconds()), use.serverCpuSeconds(),
                        total / machine.cores(), machine.cores(), use.seconds()));
        for (CopyBaseline.Result copy : report.copies()) {
            lines.add("CPU of psql \\copy, %s: %.1f s (psql %s, server %s); took %.1f s".formatted(copy.storage().description(),
                    copy.psqlCpuSeconds() + copy.serverCpuSeconds(), seconds(copy.psqlCpuSeconds()), seconds(copy.serverCpuSeconds()), copy.seconds()));
        }
        return lines;
    }

    /** Each parse-only pass's MB/s over ccusage's MB/s. */
    private static Optional<String> parseRatio(Benchmark.Report report)
    {
        if (report.ccusage().isEmpty()) {
            return Optional.empty();
        }
        double ccusage = report.ccusage().get().megabytesPerSecond();
        List<String> ratios = Stream.of(Benchmark.PARSE_ONLY, Benchmark.PARSE_ONLY_WARM)
                .flatMap(name -> report.phase(name, "-").filter(phase -> phase.failure() == null).stream())
                .map(phase -> "%.2f %s".formatted(phase.megabytesPerSecond() / ccusage, phase.name()))
                .toList();
        return ratios.isEmpty() ? Optional.empty() : Optional.of("parse / ccusage daily --offline: " + String.join(", ", ratios));
    }

    /** Per database, the default full load's speed (secrets redacted) over the same load's with scanning off. */
    private static Optional<String> secretsRatio(Benchmark.Report report)
    {
        List<String> ratios = Stream.of(Benchmark.H2, Benchmark.POSTGRESQL)
                .flatMap(target -> report.phase(Benchmark.FULL_LOAD, target).filter(phase -> phase.failure() == null).stream()
                        .flatMap(redacted -> report.phase(Benchmark.FULL_LOAD_SECRETS_OFF, target).filter(phase -> phase.failure() == null).stream()
                                .map(off -> "%.2f on %s".formatted(redacted.megabytesPerSecond() / off.megabytesPerSecond(), target))))
                .toList();
        return ratios.isEmpty() ? Optional.empty() : Optional.of("full load with secrets redacted / with scanning off: " + String.join(", ", ratios));
    }

    /** Full PostgreSQL load MB/s over each {@code \copy} baseline's MB/s. */
    private static Optional<String> ratios(Benchmark.Report report)
    {
        Optional<Benchmark.Phase> load = report.phase(Benchmark.FULL_LOAD, Benchmark.POSTGRESQL).filter(phase -> phase.failure() == null);
        if (load.isEmpty() || report.copies().isEmpty()) {
            return Optional.empty();
        }
        StringBuilder ratios = new StringBuilder("full PostgreSQL load / psql \\copy:");
        for (CopyBaseline.Result copy : report.copies()) {
            ratios.append(" %.2f against %s,".formatted(load.get().megabytesPerSecond() / copy.megabytesPerSecond(), copy.storage().description()));
        }
        ratios.setLength(ratios.length() - 1);
        return Optional.of(ratios.toString());
    }
}
