package dev.tracewh.prices;

/** A price document that cannot be read at all: the message names the file and, where it applies, the JSON path. */
public final class PriceFileException
        extends RuntimeException
{
    public PriceFileException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
