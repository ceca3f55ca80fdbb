package dev.tracewh.llm;

import static java.util.Objects.requireNonNull;

/**
 * The model's answer: its text, the model id the endpoint reports (which may differ from the one asked for), and the
 * tokens it reports using (0 when it reports none), summed over the attempts the call took.
 */
public record ChatCompletion(String content, String reportedModel, long promptTokens, long completionTokens)
{
    public ChatCompletion
    {
        requireNonNull(content, "content is null");
    }
}
