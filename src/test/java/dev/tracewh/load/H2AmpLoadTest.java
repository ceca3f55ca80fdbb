package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2AmpLoadTest
        extends AmpLoadContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
