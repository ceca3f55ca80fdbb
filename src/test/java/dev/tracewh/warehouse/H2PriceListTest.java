package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;

class H2PriceListTest
        extends PriceListContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
