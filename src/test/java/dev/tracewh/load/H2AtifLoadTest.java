package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2AtifLoadTest
        extends AtifLoadContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
