package dev.tracewh.cli;

import dev.tracewh.usersql.StatementResult;
import dev.tracewh.usersql.UserSqlException;
import dev.tracewh.usersql.UserSqlSession;
import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {
                "Runs one SQL statement against the warehouse and prints the result as a table (or CSV / JSON), row by row as it comes.",
                "The statement only reads (as the H2 user tracewh_reader, or in a read-only PostgreSQL transaction) unless --write is given."})
final class SqlCommand
        implements Callable<Integer>
{
    @Mixin
    DatabaseOptions database;

    @Mixin
    ResultOutput output;

    @Option(names = "--write", description = "Let the statement change the warehouse (insert, update, delete, DDL); it still runs alone.")
    boolean write;

    @Parameters(paramLabel = "QUERY", description = "The SQL to run, e.g. \"select source_kind, count(*) from sessions group by 1\".")
    String query;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws IOException
    {
        output.validate();
        try (Warehouse warehouse = database.openReadOnly();
                UserSqlSession session = UserSqlSession.open(warehouse)) {
            StatementResult result = session.run(query, write, rows -> output.print(rows, rows, spec.commandLine().getOut()));
            if (!result.returnedRows()) {
                spec.commandLine().getErr().printf("%,d rows changed%n", result.changedRows());
            }
        }
        catch (UserSqlException e) {
            throw new UsageException(e.getMessage());
        }
        return ExitCodes.SUCCESS;
    }
}
