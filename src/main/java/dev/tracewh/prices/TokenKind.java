package dev.tracewh.prices;

/** The kinds of token a {@code model_prices} row has a price column for. */
public enum TokenKind
{
    INPUT,
    OUTPUT,
    /** a 5-minute cache write: genai-prices' {@code cache_write_mtok}, LiteLLM's {@code cache_creation_input_token_cost} */
    CACHE_WRITE_5M,
    /** a 1-hour cache write: genai-prices' {@code cache_write_1h_mtok}, LiteLLM's {@code cache_creation_input_token_cost_above_1hr} */
    CACHE_WRITE_1H,
    CACHE_READ,
    /** reasoning output, where it costs other than output */
    REASONING
}
