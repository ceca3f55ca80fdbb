package dev.tracewh.warehouse;

/** An embedded H2 warehouse file is open in another process (H2 allows one process per file). */
public final class WarehouseInUseException
        extends WarehouseException
{
    public WarehouseInUseException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
