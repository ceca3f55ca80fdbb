package dev.tracewh.cli;

import dev.tracewh.testing.TestDatabase;

import java.nio.file.Path;

class H2StreamingOutputTest
        extends StreamingOutputContract
{
    @Override
    protected TestDatabase database(Path folder)
    {
        return TestDatabase.h2File(folder.resolve("warehouse"));
    }

    @Override
    protected String rows(int rows, int width)
    {
        return "select n, repeat('a', " + width + ") as t from system_range(1, " + rows + ") as r(n)";
    }

    @Override
    protected String endless()
    {
        return "select n from system_range(1, " + Long.MAX_VALUE + ") as r(n)";
    }
}
