package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2PiLoadTest
        extends PiLoadContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
