package dev.tracewh.cli;

import dev.tracewh.prices.PriceFiles;
import dev.tracewh.prices.PriceList;
import dev.tracewh.warehouse.DefaultPriceScript;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "price-defaults", mixinStandardHelpOptions = true,
        header = "Writes the migration that installs the shipped price list.",
        description = {
                "Reads the price list that db/prices/" + PriceFiles.DEFAULT_LIST + " names (genai-prices' data.json, filtered as db/prices/README.md says) "
                        + "and writes db/migration/common/" + DefaultPriceScript.FILE_NAME + " from it; run it in a checkout after updating db/prices.",
                "A test fails while the migration in the checkout differs from what this command writes."})
final class PriceDefaultsCommand
        implements Callable<Integer>
{
    @Option(names = "--prices", paramLabel = "DIR", defaultValue = "db/prices", description = "The prices folder (default: ${DEFAULT-VALUE}).")
    Path prices;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "db/migration/common/" + DefaultPriceScript.FILE_NAME,
            description = "The migration to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws IOException
    {
        if (!Files.isRegularFile(prices.resolve(PriceFiles.DEFAULT_LIST))) {
            throw new UsageException("no " + PriceFiles.DEFAULT_LIST + " in " + prices + ": run this in a tracewh checkout or give --prices");
        }
        PriceList list = PriceFiles.readDefault(prices);
        Files.writeString(out, DefaultPriceScript.of(list), StandardCharsets.UTF_8);
        PrintWriter err = spec.commandLine().getErr();
        err.printf("wrote %s: %,d entries, %,d rows%n", out, list.models(), list.rows().size());
        PricesCommand.printCounts(list, err);
        err.flush();
        return ExitCodes.SUCCESS;
    }
}
