package dev.tracewh.prices;

import static java.util.Objects.requireNonNull;

/**
 * Something of a price document that was not imported.
 *
 * @param path where in the document, as a JSON pointer (e.g. {@code /0/models/3/prices/web_searches_kcount})
 * @param detail what it was, e.g. the rule or the key
 */
public record PriceSkip(SkipReason reason, String path, String detail)
{
    public PriceSkip
    {
        requireNonNull(reason, "reason is null");
        requireNonNull(path, "path is null");
        requireNonNull(detail, "detail is null");
    }
}
