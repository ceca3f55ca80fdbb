package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.Tag;

import java.nio.file.Path;

@Tag("postgres")
class PostgresKillAndResumeTest
        extends KillAndResumeContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.POSTGRESQL;
    }

    @Override
    protected TestDatabase databaseForAnotherProcess(Path directory)
    {
        return TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
    }

    /** The child writes through a server of its own: every connection reads what it has committed. */
    @Override
    protected boolean childHoldsTheDatabase(TestDatabase database)
    {
        return true;
    }

    /** The server, which is not killed, holds every commit. */
    @Override
    protected void persistCommits(TestDatabase database)
    {
    }
}
