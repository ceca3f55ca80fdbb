package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2SourceSafetyTest
        extends SourceSafetyContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
