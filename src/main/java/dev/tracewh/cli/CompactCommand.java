package dev.tracewh.cli;

import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "compact", mixinStandardHelpOptions = true,
        description = {"Gives back the space loads leave behind.",
                "Rewrites an H2 file (a first load leaves it mostly free space), or runs VACUUM (ANALYZE) on PostgreSQL. "
                        + "An H2 file must not be open in another process."})
final class CompactCommand
        implements Callable<Integer>
{
    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        long started = System.nanoTime();
        Warehouse.Compaction compaction;
        try (Warehouse warehouse = database.openMigrated()) {
            compaction = warehouse.compact();
        }
        spec.commandLine().getErr().printf("compacted %s: %,.1f MB -> %,.1f MB in %.1f s%n", database.url().redacted(),
                compaction.bytesBefore() / 1e6, compaction.bytesAfter() / 1e6, (System.nanoTime() - started) / 1e9);
        return ExitCodes.SUCCESS;
    }
}
