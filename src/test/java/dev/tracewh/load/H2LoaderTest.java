package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2LoaderTest
        extends LoaderContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
