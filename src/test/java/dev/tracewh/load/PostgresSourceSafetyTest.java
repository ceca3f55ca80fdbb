package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class PostgresSourceSafetyTest
        extends SourceSafetyContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
