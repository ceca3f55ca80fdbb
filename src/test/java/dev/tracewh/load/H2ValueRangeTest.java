package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2ValueRangeTest
        extends ValueRangeContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
