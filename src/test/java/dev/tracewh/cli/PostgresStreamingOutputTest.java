package dev.tracewh.cli;

import dev.tracewh.testing.TestDatabase;

import java.nio.file.Path;

class PostgresStreamingOutputTest
        extends StreamingOutputContract
{
    @Override
    protected TestDatabase database(Path folder)
    {
        return TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
    }

    @Override
    protected String rows(int rows, int width)
    {
        return "select n, repeat('a', " + width + ") as t from generate_series(1, " + rows + ") as g(n)";
    }

    /** generate_series gathers its rows before it returns one; a recursive query hands each over as it comes. */
    @Override
    protected String endless()
    {
        return "with recursive r(n) as (select 1 union all select n + 1 from r) select n from r";
    }
}
