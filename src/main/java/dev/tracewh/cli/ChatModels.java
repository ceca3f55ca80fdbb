package dev.tracewh.cli;

import dev.tracewh.llm.ChatModel;

/**
 * Makes the {@link ChatModel} that {@code tracewh judge llm} talks to: the one place that names the HTTP client of
 * {@code dev.tracewh.llm}.
 */
final class ChatModels
{
    private ChatModels() {}

    // TODO(lead): wire the OpenAI-compatible HTTP client of dev.tracewh.llm here once its branch is merged
    static ChatModel create(LlmSettings settings)
    {
        throw new UsageException("this build has no HTTP client for chat completions yet; --dry-run works without one");
    }
}
