package dev.tracewh.format.copilot;

import dev.tracewh.model.TokenUsage;

import java.time.Instant;
import java.util.Locale;

/** Copilot's token counts in the warehouse convention. */
final class Tokens
{
    private Tokens() {}

    /**
     * A usage row from Copilot's counts: its input includes the cache reads and writes (subtracted here); reasoning is
     * inside the output for Claude and GPT models and outside it for Gemini models (added here).
     */
    static TokenUsage usage(String responseId, String requestId, Integer messageOrdinal, String model, Instant at, long input, long output,
            long cacheRead, long cacheWrite, long reasoning)
    {
        long totalOutput = reasoningOutside(model) ? output + reasoning : output;
        return new TokenUsage(responseId, requestId, messageOrdinal, model, at, Math.max(0, input - cacheRead - cacheWrite), cacheWrite, 0, cacheRead,
                totalOutput, Math.min(reasoning, totalOutput));
    }

    static boolean reasoningOutside(String model)
    {
        return model != null && model.toLowerCase(Locale.ROOT).startsWith("gemini");
    }
}
