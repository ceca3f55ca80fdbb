package dev.tracewh.cli;

import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.UnusableDatabaseUrlException;
import dev.tracewh.warehouse.Warehouse;
import dev.tracewh.warehouse.WarehouseInUseException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.function.Supplier;

/** The {@code --db}, {@code --schema} and {@code --wait} options shared by every command that touches the warehouse. */
public final class DatabaseOptions
{
    @Option(names = "--db", paramLabel = "URL",
            description = {"JDBC URL (jdbc:h2:... or jdbc:postgresql://...), libpq URL (postgresql://user@host/db) or an H2 file path. "
                    + "Default: $TRACEWH_DB, else the H2 file ${env:HOME:-${sys:user.home}}/" + DatabaseUrl.DEFAULT_IN_HOME + ".",
                    "Keep a PostgreSQL password out of it: $PGPASSWORD or the password file ($HOME/.pgpass, $PGPASSFILE) supply it."})
    String database;

    @Option(names = "--schema", paramLabel = "NAME",
            description = "PostgreSQL: the schema the warehouse lives in, created if missing. Default: $TRACEWH_SCHEMA, "
                    + "else the URL's currentSchema, else " + DatabaseUrl.DEFAULT_SCHEMA + ". Not both --schema and a different currentSchema. H2 ignores it.")
    String schema;

    @Option(names = "--wait", description = {
            "Wait while another process has the H2 file open (H2 lets one process at a time: a load, a migrate), instead of exiting with code 4.",
            "A load also waits while another load of the same scope runs."})
    boolean waitWhileInUse;

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

    /** True with {@code --wait}: the command waits for the warehouse, and a load for the load lock, instead of failing. */
    boolean waitWhileInUse()
    {
        return waitWhileInUse;
    }

    /**
     * Opens the warehouse and applies pending migrations, as every command that writes does first; with
     * {@code --wait} waits while another process has an H2 file open.
     */
    Warehouse openMigrated()
    {
        DatabaseUrl url = url();
        return whenFree(url, () -> Warehouse.openMigrated(url, this::notice));
    }

    /**
     * Opens the warehouse for a command that only reads: it never migrates, and fails (exit code 2) asking for
     * {@code tracewh migrate} when the schema is older than this tracewh's. With {@code --wait} waits while
     * another process has an H2 file open.
     */
    Warehouse openReadOnly()
    {
        DatabaseUrl url = url();
        return whenFree(url, () -> Warehouse.openWithoutMigrating(url));
    }

    /** {@code open}, again every half second while the warehouse is in use, when --wait says so. */
    private <T> T whenFree(DatabaseUrl url, Supplier<T> open)
    {
        boolean told = false;
        while (true) {
            try {
                return open.get();
            }
            catch (UnusableDatabaseUrlException e) {
                throw new UsageException(e.getMessage());
            }
            catch (WarehouseInUseException e) {
                if (!waitWhileInUse) {
                    throw e;
                }
                if (!told) {
                    notice("the warehouse " + url.redacted() + " is open in another process: waiting until that process closes it (--wait)");
                    told = true;
                }
                sleep();
            }
        }
    }

    /** {@code tracewh migrate --repair}: see {@link Warehouse#repair}; with {@code --wait} waits while the warehouse is in use. */
    void repair()
    {
        DatabaseUrl url = url();
        whenFree(url, () -> {
            Warehouse.repair(url, this::notice);
            return url;
        });
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
