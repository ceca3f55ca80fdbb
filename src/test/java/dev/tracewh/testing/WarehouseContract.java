package dev.tracewh.testing;

import dev.tracewh.warehouse.Warehouse;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A contract that every database runs through a subclass: each test gets a fresh, migrated warehouse of {@link #kind()}. */
public abstract class WarehouseContract
{
    protected TestDatabase database;
    protected Warehouse warehouse;
    protected DSLContext dsl;

    protected abstract TestDatabase.Kind kind();

    @BeforeEach
    void openWarehouse()
    {
        database = TestDatabase.create(kind());
        warehouse = database.open();
        dsl = warehouse.dsl();
    }

    @AfterEach
    void closeWarehouse()
    {
        warehouse.close();
        database.close();
    }
}
