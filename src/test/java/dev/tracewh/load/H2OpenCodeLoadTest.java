package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2OpenCodeLoadTest
        extends OpenCodeLoadContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
