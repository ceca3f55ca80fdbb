package dev.tracewh.cli;

import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Creates or upgrades the warehouse schema (Flyway) and does nothing else.")
final class MigrateCommand
        implements Callable<Integer>
{
    @Mixin
    DatabaseOptions database;

    @Option(names = "--repair", description = {
            "First repair what a failed migration left: restore the copy of an H2 file taken before a migration that did not finish, "
                    + "remove failed migrations from the schema history (Flyway repair), then migrate."})
    boolean repair;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        if (repair) {
            database.repair();
        }
        try (Warehouse warehouse = database.openMigrated()) {
            spec.commandLine().getErr().printf("warehouse %s is at schema version %s%n", warehouse.url().redacted(), warehouse.schemaVersion());
        }
        return ExitCodes.SUCCESS;
    }
}
