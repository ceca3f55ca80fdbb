package dev.tracewh.cli;

import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.ReaderRole;
import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "grant-read", mixinStandardHelpOptions = true,
        description = {"Gives an existing PostgreSQL role read access to the documented views, e.g. for a BI tool.",
                "USAGE on the warehouse's schema and SELECT on its v_* views, nothing else (no table, no write). "
                        + "Every later migration grants it the views that a new version adds or makes again. Run it as the warehouse's owner."})
final class GrantReadCommand
        implements Callable<Integer>
{
    @Mixin
    DatabaseOptions database;

    @Parameters(paramLabel = "ROLE", description = "An existing PostgreSQL role, by its exact (case-sensitive) name, e.g. metabase.")
    String role;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        DatabaseUrl url = database.url();
        if (url.vendor() != DatabaseUrl.Vendor.POSTGRESQL) {
            throw new UsageException("grant-read gives a PostgreSQL role read access, and " + url.redacted()
                    + " is H2, which has no roles for other tools to connect as; use a jdbc:postgresql:// warehouse");
        }
        try (Warehouse warehouse = database.openMigrated()) {
            ReaderRole readers = new ReaderRole(warehouse);
            if (!readers.exists(role)) {
                throw new UsageException("role " + role + " does not exist in " + url.redacted()
                        + "; create it first (create role " + role + " login password '...')");
            }
            ReaderRole.Grant grant = readers.grant(role);
            spec.commandLine().getErr().printf("role %s can read %d views in schema %s: %s%n",
                    grant.role(), grant.views().size(), grant.schema(), String.join(", ", grant.views()));
        }
        return ExitCodes.SUCCESS;
    }
}
