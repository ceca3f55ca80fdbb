package dev.tracewh.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One chat completions request. {@code answerSchema} (nullable) is the JSON schema the answer must follow, sent as
 * {@code response_format} {@code json_schema} named {@code schemaName} where the endpoint supports it.
 */
public record ChatRequest(String model, List<ChatMessage> messages, String schemaName, JsonNode answerSchema)
{
    public ChatRequest
    {
        requireNonNull(model, "model is null");
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request needs a message");
        }
        if ((schemaName == null) != (answerSchema == null)) {
            throw new IllegalArgumentException("an answer schema needs a name, and a name a schema");
        }
    }

    /** One message of the conversation sent: role {@code system}, {@code user} or {@code assistant}. */
    public record ChatMessage(String role, String content)
    {
        public ChatMessage
        {
            requireNonNull(role, "role is null");
            requireNonNull(content, "content is null");
        }
    }
}
