package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2SubAgentsTest
        extends SubAgentsContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
