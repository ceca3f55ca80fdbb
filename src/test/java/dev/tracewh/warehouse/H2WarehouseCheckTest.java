package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;

class H2WarehouseCheckTest
        extends WarehouseCheckContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
