package dev.tracewh.llm;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How {@link OpenAiCompatibleChat} waits and retries: the timeout of one HTTP request; how many requests one completion
 * may take in all (429, 5xx, timeouts and connection failures are retried); the backoff before the first retry, doubled
 * at each retry up to {@code maxBackoff} (with jitter); and the longest {@code Retry-After} honoured (a longer one is
 * cut to it).
 */
public record ChatClientOptions(Duration requestTimeout, int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter)
{
    public ChatClientOptions
    {
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        requirePositive(maxRetryAfter, "maxRetryAfter");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
    }

    /** 2 minutes per request (a judge's answer can be long), 5 attempts, backoff from 1 s to 30 s, Retry-After up to 60 s. */
    public static ChatClientOptions defaults()
    {
        return new ChatClientOptions(Duration.ofMinutes(2), 5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    public ChatClientOptions withRequestTimeout(Duration timeout)
    {
        return new ChatClientOptions(timeout, maxAttempts, initialBackoff, maxBackoff, maxRetryAfter);
    }

    public ChatClientOptions withMaxAttempts(int attempts)
    {
        return new ChatClientOptions(requestTimeout, attempts, initialBackoff, maxBackoff, maxRetryAfter);
    }

    public ChatClientOptions withBackoff(Duration initial, Duration max)
    {
        return new ChatClientOptions(requestTimeout, maxAttempts, initial, max, maxRetryAfter);
    }

    public ChatClientOptions withMaxRetryAfter(Duration max)
    {
        return new ChatClientOptions(requestTimeout, maxAttempts, initialBackoff, maxBackoff, max);
    }

    private static void requirePositive(Duration duration, String name)
    {
        requireNonNull(duration, name + " is null");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
