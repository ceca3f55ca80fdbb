package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2HermesLoadTest
        extends HermesLoadContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
