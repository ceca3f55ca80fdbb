package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
class PostgresOpenCodeLoadTest
        extends OpenCodeLoadContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
