package dev.tracewh.prices;

import java.time.LocalDate;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a price list came from, as {@code price_lists} records it.
 *
 * @param sourceUrl where the document was read from (the upstream file for the shipped list, the local file for an import)
 * @param sourceVersion the upstream commit or version, when known
 * @param sourceDate the date of that version, when known
 * @param fileSha256 the SHA-256 of the document's bytes, lower-case hex
 */
public record PriceProvenance(
        PriceSource source,
        Optional<String> sourceUrl,
        Optional<String> sourceVersion,
        Optional<LocalDate> sourceDate,
        Optional<String> license,
        String fileSha256)
{
    public PriceProvenance
    {
        requireNonNull(source, "source is null");
        requireNonNull(sourceUrl, "sourceUrl is null");
        requireNonNull(sourceVersion, "sourceVersion is null");
        requireNonNull(sourceDate, "sourceDate is null");
        requireNonNull(license, "license is null");
        requireNonNull(fileSha256, "fileSha256 is null");
        if (!fileSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + fileSha256);
        }
    }
}
