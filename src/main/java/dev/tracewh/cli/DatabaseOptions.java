package dev.tracewh.cli;

import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.Warehouse;
import dev.tracewh.warehouse.WarehouseInUseException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code --db} and {@code --schema} options shared by every command that touches the warehouse. */
public final class DatabaseOptions
{
    @Option(names = "--db", paramLabel = "URL",
            description = {"JDBC URL (jdbc:h2:... or jdbc:postgresql://...), libpq URL (postgresql://user@host/db) or an H2 file path. "
                    + "Default: $TRACEWH_DB, else the H2 file ~/.tracewh/warehouse.",
                    "Keep a PostgreSQL password out of it: $PGPASSWORD or the password file (~/.pgpass, $PGPASSFILE) supply it."})
    String database;

    @Option(names = "--schema", paramLabel = "NAME",
            description = "PostgreSQL: the schema the warehouse lives in, created if missing. Default: $TRACEWH_SCHEMA, "
                    + "else the URL's currentSchema, else " + DatabaseUrl.DEFAULT_SCHEMA + ". Not both --schema and a different currentSchema. H2 ignores it.")
    String schema;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The database, from the options and the environment ($TRACEWH_DB, $TRACEWH_SCHEMA, $PGPASSWORD); a usage error when unusable. */
    DatabaseUrl url()
    {
        try {
            return DatabaseUrl.resolve(database, schema, System.getenv());
        }
        catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
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
