package dev.tracewh.cli;

import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.Warehouse;
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
        Warehouse warehouse = Warehouse.open(url());
        try {
            warehouse.migrate();
            return warehouse;
        }
        catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
    }
}
