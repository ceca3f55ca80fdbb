package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2ActivePathTest
        extends ActivePathContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
