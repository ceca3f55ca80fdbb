package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
class PostgresPriceListTest
        extends PriceListContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
