package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2QwenLoadTest
        extends QwenLoadContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
