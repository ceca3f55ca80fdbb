package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

import java.nio.file.Path;

class H2KillAndResumeTest
        extends KillAndResumeContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }

    @Override
    protected TestDatabase databaseForAnotherProcess(Path directory)
    {
        return TestDatabase.h2File(directory.resolve("warehouse"));
    }
}
