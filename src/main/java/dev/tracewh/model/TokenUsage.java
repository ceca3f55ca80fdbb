package dev.tracewh.model;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * Token usage of one model response, in the warehouse convention: {@code inputTokens} excludes cached input,
 * {@code outputTokens} includes reasoning, {@code reasoningOutputTokens} is the reasoning part of it.
 * {@code cacheCreation1hInputTokens} is the part of {@code cacheCreationInputTokens} written with a 1-hour TTL (priced
 * at the 1-hour rate), 0 where the source does not tell it apart.
 * {@code responseId} plus {@code requestId} ("" when the source has none) identify the response across files.
 */
public record TokenUsage(
        String responseId,
        String requestId,
        Integer messageOrdinal,
        String model,
        Instant createdAt,
        long inputTokens,
        long cacheCreationInputTokens,
        long cacheCreation1hInputTokens,
        long cacheReadInputTokens,
        long outputTokens,
        long reasoningOutputTokens)
{
    public TokenUsage
    {
        requireNonNull(responseId, "responseId is null");
        requireNonNull(requestId, "requestId is null");
        if (cacheCreation1hInputTokens < 0 || cacheCreation1hInputTokens > cacheCreationInputTokens) {
            throw new IllegalArgumentException("cacheCreation1hInputTokens " + cacheCreation1hInputTokens + " is not part of cacheCreationInputTokens "
                    + cacheCreationInputTokens);
        }
    }

    public long totalTokens()
    {
        return inputTokens + cacheCreationInputTokens + cacheReadInputTokens + outputTokens;
    }
}
