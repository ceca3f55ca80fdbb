package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;

class H2CostViewsTest
        extends CostViewsContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
