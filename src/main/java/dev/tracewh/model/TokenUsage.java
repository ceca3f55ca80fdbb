package dev.tracewh.model;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * Token usage of one model response, in the warehouse convention: {@code inputTokens} excludes cached input,
 * {@code outputTokens} includes reasoning, {@code reasoningOutputTokens} is the reasoning part of it.
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
        long cacheReadInputTokens,
        long outputTokens,
        long reasoningOutputTokens)
{
    public TokenUsage
    {
        requireNonNull(responseId, "responseId is null");
        requireNonNull(requestId, "requestId is null");
    }

    public long totalTokens()
    {
        return inputTokens + cacheCreationInputTokens + cacheReadInputTokens + outputTokens;
    }
}
