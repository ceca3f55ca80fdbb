package dev.tracewh.prices;

import java.time.LocalDate;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** An entry's prices for the UTC dates [from, until). */
record DatedPriceSet(Optional<LocalDate> from, Optional<LocalDate> until, PriceSet prices)
{
    DatedPriceSet
    {
        requireNonNull(from, "from is null");
        requireNonNull(until, "until is null");
        requireNonNull(prices, "prices is null");
    }
}
