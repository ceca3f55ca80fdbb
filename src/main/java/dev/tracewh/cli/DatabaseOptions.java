package dev.tracewh.cli;

import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.Warehouse;
import dev.tracewh.warehouse.WarehouseInUseException;
import picocli.CommandLine.Option;

/** The {@code --db} option shared by every command that touches the warehouse. */
public final class DatabaseOptions
{
    @Option(names = "--db", paramLabel = "URL",
            description = "JDBC URL (jdbc:h2:... or jdbc:postgresql://...) or an H2 file path. "
                    + "Default: $TRACEWH_DB, else the H2 file ~/.tracewh/warehouse.")
    String database;

    DatabaseUrl url()
    {
        return DatabaseUrl.resolve(database, System.getenv("TRACEWH_DB"));
    }

    /** Opens the warehouse and applies pending migrations, as every command does first. */
    Warehouse openMigrated()
    {
        return openMigrated(false);
    }

    /** Like {@link #openMigrated()}; with {@code waitWhileInUse} waits while another process has an H2 file open. */
    Warehouse openMigrated(boolean waitWhileInUse)
    {
        Warehouse warehouse = open(waitWhileInUse);
        try {
            warehouse.migrate();
            return warehouse;
        }
        catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
    }

    private Warehouse open(boolean waitWhileInUse)
    {
        while (true) {
            try {
                return Warehouse.open(url());
            }
            catch (WarehouseInUseException e) {
                if (!waitWhileInUse) {
                    throw e;
                }
                sleep();
            }
        }
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
