package dev.tracewh.prices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * Reads a price document, telling genai-prices' v2 {@code data.json} (a list of providers with models) from
 * LiteLLM's {@code model_prices_and_context_window.json} (an object of entries with per-token costs) by content.
 */
public final class PriceFiles
{
    /** The file in a prices folder that says which document is the shipped default and where it came from. */
    public static final String DEFAULT_LIST = "default-list.properties";

    /** genai-prices and LiteLLM are both MIT-licensed; their data comes under the same license. */
    private static final String LICENSE = "MIT";

    private static final ObjectMapper JSON = JsonMapper.builder()
            // prices are decimals as written, not the nearest double
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private PriceFiles() {}

    /**
     * Reads a document to import: its provenance is the file itself (its URI, hash, the source its content shows)
     * and {@code version} when given.
     */
    public static PriceList read(Path file, Optional<String> version)
    {
        requireNonNull(file, "file is null");
        requireNonNull(version, "version is null");
        byte[] bytes = bytes(file);
        JsonNode root = parse(file, bytes);
        PriceSource source = detect(file, root);
        PriceProvenance provenance = new PriceProvenance(source, Optional.of(file.toAbsolutePath().toUri().toString()), version,
                Optional.empty(), Optional.of(LICENSE), sha256(bytes));
        return read(source, root, provenance);
    }

    /**
     * Reads the default list of a prices folder ({@code db/prices}): {@value #DEFAULT_LIST} names the document
     * ({@code file}) and its provenance ({@code source_url}, {@code source_version}, {@code source_date},
     * {@code license}).
     */
    public static PriceList readDefault(Path folder)
    {
        requireNonNull(folder, "folder is null");
        Path description = folder.resolve(DEFAULT_LIST);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(description, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        catch (IOException e) {
            throw new PriceFileException("cannot read " + description + ": " + e.getMessage(), e);
        }
        Path file = folder.resolve(required(properties, "file", description));
        byte[] bytes = bytes(file);
        JsonNode root = parse(file, bytes);
        PriceSource source = detect(file, root);
        LocalDate date;
        try {
            date = LocalDate.parse(required(properties, "source_date", description));
        }
        catch (DateTimeParseException e) {
            throw new PriceFileException(description + ": source_date is not a date (YYYY-MM-DD): " + properties.getProperty("source_date"), e);
        }
        PriceProvenance provenance = new PriceProvenance(source, Optional.of(required(properties, "source_url", description)),
                Optional.of(required(properties, "source_version", description)), Optional.of(date),
                Optional.of(required(properties, "license", description)), sha256(bytes));
        return read(source, root, provenance);
    }

    private static PriceList read(PriceSource source, JsonNode root, PriceProvenance provenance)
    {
        return switch (source) {
            case GENAI_PRICES -> new GenaiPricesReader().read(root, provenance);
            case LITELLM -> new LiteLlmReader().read(root, provenance);
        };
    }

    private static String required(Properties properties, String key, Path description)
    {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new PriceFileException(description + " has no " + key, null);
        }
        return value.strip();
    }

    private static byte[] bytes(Path file)
    {
        try {
            return Files.readAllBytes(file);
        }
        catch (IOException e) {
            throw new PriceFileException("cannot read the price file " + file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path file, byte[] bytes)
    {
        try {
            return JSON.readTree(bytes);
        }
        catch (JsonProcessingException e) {
            throw new PriceFileException("the price file " + file + " is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"), e);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list whose items have models is genai-prices; an object whose entries have per-token costs is LiteLLM. */
    static PriceSource detect(Path file, JsonNode root)
    {
        if (root != null && root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                if (!root.get(i).isObject() || !root.get(i).path("models").isArray()) {
                    throw new PriceFileException("the price file " + file + " is a list, as genai-prices' v2 data.json is, but /" + i
                            + " is not a provider with a list of models", null);
                }
            }
            return PriceSource.GENAI_PRICES;
        }
        if (root != null && root.isObject()) {
            for (Iterator<JsonNode> entries = root.elements(); entries.hasNext(); ) {
                JsonNode entry = entries.next();
                if (entry.isObject() && (entry.has("litellm_provider") || entry.has("input_cost_per_token"))) {
                    return PriceSource.LITELLM;
                }
            }
        }
        throw new PriceFileException("the price file " + file + " is neither genai-prices' v2 data.json (a list of providers with models) "
                + "nor LiteLLM's model_prices_and_context_window.json (an object of models with litellm_provider and *_cost_per_token)", null);
    }

    private static String sha256(byte[] bytes)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
