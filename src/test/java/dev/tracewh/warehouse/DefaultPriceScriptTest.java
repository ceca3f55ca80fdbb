package dev.tracewh.warehouse;

import dev.tracewh.prices.PriceFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shipped price list's migration is what {@code tracewh dev price-defaults} writes from db/prices, never edited by hand. */
class DefaultPriceScriptTest
{
    @Test
    void theCheckedInMigrationIsTheGeneratorsOutput()
            throws IOException
    {
        String generated = DefaultPriceScript.of(PriceFiles.readDefault(Path.of("db/prices")));

        // if this fails after a change to db/prices or to the generator: ./tracewh dev price-defaults
        assertEquals(generated, Files.readString(Path.of("db/migration/common/" + DefaultPriceScript.FILE_NAME)));
    }
}
