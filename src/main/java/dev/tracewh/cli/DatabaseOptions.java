package dev.tracewh.cli;

import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.Warehouse;
import dev.tracewh.warehouse.WarehouseInUseException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code --db} option shared by every command that touches the warehouse. */
public final class DatabaseOptions
{
    @Option(names = "--db", paramLabel = "URL",
            description = "JDBC URL (jdbc:h2:... or jdbc:postgresql://...) or an H2 file path. "
                    + "Default: $TRACEWH_DB, else the H2 file ~/.tracewh/warehouse.")
    String database;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    DatabaseUrl url()
    {
        return DatabaseUrl.resolve(database, System.getenv("TRACEWH_DB"));
    }

    /** Opens the warehouse and applies pending migrations, as every command that writes does first. */
    Warehouse openMigrated()
    {
        return openMigrated(false);
    }

    /** Like {@link #openMigrated()}; with {@code waitWhileInUse} waits while another process has an H2 file open. */
    Warehouse openMigrated(boolean waitWhileInUse)
    {
        while (true) {
            try {
                return Warehouse.openMigrated(url(), this::notice);
            }
            catch (WarehouseInUseException e) {
                if (!waitWhileInUse) {
                    throw e;
                }
                sleep();
            }
        }
    }

    /**
     * Opens the warehouse for a command that only reads: it never migrates, and fails (exit code 2) asking for
     * {@code tracewh migrate} when the schema is older than this tracewh's.
     */
    Warehouse openReadOnly()
    {
        return Warehouse.openWithoutMigrating(url());
    }

    /** {@code tracewh migrate --repair}: see {@link Warehouse#repair}. */
    void repair()
    {
        Warehouse.repair(url(), this::notice);
    }

    private void notice(String notice)
    {
        command.commandLine().getErr().println("tracewh: " + notice);
    }

    private static void sleep()
    {
        try {
            Thread.sleep(500);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the warehouse", e);
        }
    }
}
