package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2GeminiLoadTest
        extends GeminiLoadContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
