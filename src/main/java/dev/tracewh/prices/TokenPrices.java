package dev.tracewh.prices;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * USD per million tokens of each kind tracewh prices, empty where the source gives none (the cost views then fall
 * back as genai-prices does). Values are rounded to 10 decimals, the scale of {@code model_prices}: the sources'
 * floats carry noise such as 0.18000000000000002.
 */
public record TokenPrices(
        Optional<BigDecimal> input,
        Optional<BigDecimal> output,
        Optional<BigDecimal> cacheWrite5m,
        Optional<BigDecimal> cacheWrite1h,
        Optional<BigDecimal> cacheRead,
        Optional<BigDecimal> reasoning)
{
    public static final int SCALE = 10;

    public TokenPrices
    {
        input = rounded(input, "input");
        output = rounded(output, "output");
        cacheWrite5m = rounded(cacheWrite5m, "cacheWrite5m");
        cacheWrite1h = rounded(cacheWrite1h, "cacheWrite1h");
        cacheRead = rounded(cacheRead, "cacheRead");
        reasoning = rounded(reasoning, "reasoning");
    }

    private static Optional<BigDecimal> rounded(Optional<BigDecimal> price, String name)
    {
        requireNonNull(price, name + " is null");
        return price.map(value -> {
            if (value.signum() < 0) {
                throw new IllegalArgumentException(name + " price is negative: " + value);
            }
            return value.setScale(SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
        });
    }

    /** The price of one kind of token. */
    public Optional<BigDecimal> get(TokenKind kind)
    {
        return switch (kind) {
            case INPUT -> input;
            case OUTPUT -> output;
            case CACHE_WRITE_5M -> cacheWrite5m;
            case CACHE_WRITE_1H -> cacheWrite1h;
            case CACHE_READ -> cacheRead;
            case REASONING -> reasoning;
        };
    }

    static TokenPrices of(Map<TokenKind, BigDecimal> prices)
    {
        return new TokenPrices(
                Optional.ofNullable(prices.get(TokenKind.INPUT)),
                Optional.ofNullable(prices.get(TokenKind.OUTPUT)),
                Optional.ofNullable(prices.get(TokenKind.CACHE_WRITE_5M)),
                Optional.ofNullable(prices.get(TokenKind.CACHE_WRITE_1H)),
                Optional.ofNullable(prices.get(TokenKind.CACHE_READ)),
                Optional.ofNullable(prices.get(TokenKind.REASONING)));
    }
}
