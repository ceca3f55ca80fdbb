package dev.tracewh.cli;

import dev.tracewh.prices.PriceFileException;
import dev.tracewh.prices.PriceFiles;
import dev.tracewh.prices.PriceList;
import dev.tracewh.prices.PriceSkip;
import dev.tracewh.prices.SkipReason;
import dev.tracewh.warehouse.PriceListStore;
import dev.tracewh.warehouse.PriceListStore.Imported;
import dev.tracewh.warehouse.PriceListStore.SeenModel;
import dev.tracewh.warehouse.PriceListStore.StoredList;
import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "prices", mixinStandardHelpOptions = true,
        description = {
                "Lists the loaded price lists with where each came from (source, version, date, license, file hash) and their entries and rows, "
                        + "then each model name seen in token_usage with its responses and the price entry that prices it, or 'no price'.",
                "A response whose model has no price has no cost in the cost views, never $0. tracewh ships genai-prices' list; "
                        + "tracewh prices import adds a newer one, which wins where both price a model."},
        subcommands = {PricesCommand.Import.class})
final class PricesCommand
        implements Callable<Integer>
{
    private static final String NO_PRICE = "no price";
    private static final DateTimeFormatter IMPORTED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws IOException
    {
        PrintWriter out = spec.commandLine().getOut();
        try (Warehouse warehouse = database.openReadOnly()) {
            PriceListStore store = new PriceListStore(warehouse.dsl());
            List<StoredList> lists = store.lists();
            List<SeenModel> models = store.seenModels();
            out.println("Price lists (where several price a model, the first wins):");
            TableRows listTable = table(out, "list", "source", "version", "date", "license", "entries", "rows", "imported", "default", "sha256", "url");
            for (StoredList list : lists) {
                listTable.row(new Object[] {list.priceListId(), list.provenance().source().id(), list.provenance().sourceVersion().orElse(""),
                        list.provenance().sourceDate().map(LocalDate::toString).orElse(""), list.provenance().license().orElse(""), list.models(), list.rows(),
                        IMPORTED_AT.format(list.importedAt().withOffsetSameInstant(ZoneOffset.UTC)), list.isDefault() ? "default" : "import",
                        list.provenance().fileSha256().substring(0, 12), list.provenance().sourceUrl().orElse("")});
            }
            listTable.end();
            out.println();
            out.println("Models in token_usage:");
            TableRows modelTable = table(out, "model", "responses", "price", "list");
            for (SeenModel model : models) {
                modelTable.row(new Object[] {model.model(), model.responses(),
                        model.provider().flatMap(provider -> model.modelId().map(id -> provider + "/" + id)).orElse(NO_PRICE),
                        model.priceListId().map(Object::toString).orElse("")});
            }
            modelTable.end();
            out.flush();
            long unpriced = models.stream().filter(model -> !model.priced()).count();
            long unmatched = models.stream().filter(model -> !model.matched()).count();
            PrintWriter err = spec.commandLine().getErr();
            err.printf("%,d price lists; %,d model names, %,d without a price%s%n", lists.size(), models.size(), unpriced,
                    unmatched == 0 ? "" : " (" + unmatched + " not matched yet: the next load or tracewh migrate stores their match)");
            err.flush();
        }
        return ExitCodes.SUCCESS;
    }

    private static TableRows table(PrintWriter out, String... columns)
    {
        TableRows table = new TableRows(out, 0, "");
        table.start(Arrays.stream(columns).map(name -> new RowColumn(name, false, false)).toList());
        return table;
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {
                    "Imports a price list: genai-prices' v2 data.json (from github.com/pydantic/genai-prices, prices/new_data/v2/data.json) "
                            + "or LiteLLM's model_prices_and_context_window.json, told apart by their content.",
                    "The list wins over every list loaded before it, and every model name is matched to a price again. Importing the same "
                            + "file again (the same SHA-256) changes nothing.",
                    "What is not imported is counted by reason: 'and' rules, regexes that do not compile, time-of-day prices, prices of "
                            + "other units (audio, images, searches, requests) and entries without a token price."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:imported, or imported before", "1:imported, but some entries are invalid (listed on stderr)", "2:failed", "3:usage error"})
    static final class Import
            implements Callable<Integer>
    {
        /** Skips that mean the file is wrong, listed one by one; the others are counted. */
        private static final Set<SkipReason> LISTED = Set.of(SkipReason.INVALID_ENTRY, SkipReason.INVALID_REGEX, SkipReason.AND_RULE,
                SkipReason.UNKNOWN_CONSTRAINT);

        @Mixin
        DatabaseOptions database;

        @Parameters(paramLabel = "FILE", description = "The genai-prices or LiteLLM JSON file.")
        Path file;

        @Option(names = "--source-version", paramLabel = "TEXT",
                description = "The version or commit of the file, recorded with the list (e.g. a genai-prices commit).")
        String version;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            if (!Files.isRegularFile(file)) {
                throw new UsageException("not a file: " + file);
            }
            PrintWriter err = spec.commandLine().getErr();
            PriceList list;
            try {
                list = PriceFiles.read(file, Optional.ofNullable(version).filter(text -> !text.isBlank()));
            }
            catch (PriceFileException e) {
                err.println("tracewh: " + e.getMessage());
                err.flush();
                return ExitCodes.FAILED;
            }
            Imported imported;
            try (Warehouse warehouse = database.openMigrated()) {
                imported = new PriceListStore(warehouse.dsl()).importList(list);
            }
            if (imported.alreadyImported()) {
                err.printf("%s was imported before as price list %d (%s, the same SHA-256): nothing changed%n", file, imported.list().priceListId(),
                        IMPORTED_AT.format(imported.list().importedAt().withOffsetSameInstant(ZoneOffset.UTC)));
                err.flush();
                return ExitCodes.SUCCESS;
            }
            for (PriceSkip skip : list.skipped()) {
                if (LISTED.contains(skip.reason())) {
                    err.printf("%s %s: skipped, %s%n", file, skip.path(), skip.detail());
                }
            }
            err.printf("price list %d (%s%s, precedence %d): %,d entries, %,d rows%n", imported.list().priceListId(), list.provenance().source().id(),
                    list.provenance().sourceVersion().map(text -> " " + text).orElse(""), imported.list().precedence(), list.models(), list.rows().size());
            printCounts(list, err);
            if (!imported.unpricedModels().isEmpty()) {
                err.printf("%,d model names in token_usage have no price: %s%n", imported.unpricedModels().size(), String.join(", ", imported.unpricedModels()));
            }
            err.flush();
            boolean invalid = list.skipped().stream().anyMatch(skip -> skip.reason() == SkipReason.INVALID_ENTRY || skip.reason() == SkipReason.INVALID_REGEX);
            return invalid ? ExitCodes.PARTIAL : ExitCodes.SUCCESS;
        }
    }

    /** What a list holds that prices nothing: entries without a token price, and what was skipped by reason. */
    static void printCounts(PriceList list, PrintWriter err)
    {
        long withoutPrice = list.entriesWithoutTokenPrice();
        if (withoutPrice > 0) {
            err.printf("%,d entries lack an input or an output token price (embedding or free models): the model names they match stay unpriced%n", withoutPrice);
        }
        for (Map.Entry<SkipReason, Integer> skipped : list.skippedByReason().entrySet()) {
            err.printf("skipped %,d %s%n", skipped.getValue(), skipped.getKey().description());
        }
    }
}
