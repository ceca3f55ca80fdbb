package dev.tracewh.cli;

import dev.tracewh.warehouse.SourceFileStore;
import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

@Command(name = "purge", mixinStandardHelpOptions = true,
        description = {"Deletes the traces of source files that went missing from disk before DATE, with their rows.",
                "Only files of this host (--source-host) that are still missing on its disk are purged, with their scores and export items.",
                "Nothing is ever deleted otherwise: the warehouse keeps sessions that agents have cleaned up. Try --dry-run first."})
final class PurgeCommand
        implements Callable<Integer>
{
    @Mixin
    DatabaseOptions database;

    @Option(names = "--missing-before", paramLabel = "DATE", required = true, description = "Purge files missing since before this date (YYYY-MM-DD, UTC).")
    String missingBefore;

    @Mixin
    SourceHostOption sourceHost;

    @Option(names = "--dry-run", description = "Only list what would be deleted.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        Instant before;
        try {
            before = LocalDate.parse(missingBefore).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        catch (DateTimeParseException e) {
            throw new UsageException("--missing-before takes a date like 2026-01-31, got '" + missingBefore + "'");
        }
        try (Warehouse warehouse = database.openMigrated()) {
            SourceFileStore.Purge purge = warehouse.dsl().transactionResult(configuration ->
                    new SourceFileStore(org.jooq.impl.DSL.using(configuration), sourceHost.resolve()).purgeMissing(before, dryRun, path -> Files.exists(Path.of(path))));
            PrintWriter out = spec.commandLine().getOut();
            String verb = dryRun ? "would purge" : "purged";
            purge.paths().forEach(path -> out.println(verb + " file " + path));
            purge.traceIds().forEach(traceId -> out.println(verb + " trace " + traceId));
            out.flush();
            // the list is the data; the totals are the summary
            PrintWriter err = spec.commandLine().getErr();
            err.printf("%s %,d missing files, %,d traces, %,d scores (of %,d judge runs) and %,d export items%n",
                    verb, purge.paths().size(), purge.traceIds().size(), purge.scores(), purge.judgeRuns(), purge.exportItems());
            err.flush();
        }
        return ExitCodes.SUCCESS;
    }
}
