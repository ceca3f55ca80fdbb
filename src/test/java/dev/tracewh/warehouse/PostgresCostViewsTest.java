package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;

class PostgresCostViewsTest
        extends CostViewsContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
