package dev.tracewh.cli;

import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Runs one SQL query against the warehouse and prints the result as a table (or CSV / JSON).")
final class SqlCommand
        implements Callable<Integer>
{
    @Mixin
    DatabaseOptions database;

    @Mixin
    ResultOutput output;

    @Parameters(paramLabel = "QUERY", description = "The SQL to run, e.g. \"select source_kind, count(*) from sessions group by 1\".")
    String query;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        try (Warehouse warehouse = database.openReadOnly()) {
            output.print(warehouse.dsl().fetch(query), spec.commandLine().getOut());
        }
        return ExitCodes.SUCCESS;
    }
}
