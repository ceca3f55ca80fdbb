package dev.tracewh.prices;

/** The price documents tracewh reads, by the name {@code price_lists.source} gives them. */
public enum PriceSource
{
    /** pydantic's genai-prices, its v2 {@code data.json}. */
    GENAI_PRICES("genai-prices"),
    /** LiteLLM's {@code model_prices_and_context_window.json}. */
    LITELLM("litellm");

    private final String id;

    PriceSource(String id)
    {
        this.id = id;
    }

    public String id()
    {
        return id;
    }

    public static PriceSource of(String id)
    {
        for (PriceSource source : values()) {
            if (source.id.equals(id)) {
                return source;
            }
        }
        throw new IllegalArgumentException("unknown price source: " + id);
    }
}
