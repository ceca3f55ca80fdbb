package dev.tracewh.llm;

import java.io.IOException;

/**
 * A model behind an OpenAI-compatible chat completions API (OpenAI, NVIDIA's API catalog, vLLM, llama.cpp's server,
 * Ollama, a LiteLLM proxy). One call is one completion; retries of transient failures happen inside.
 */
public interface ChatModel
        extends AutoCloseable
{
    /**
     * The model's answer to {@code request}. Throws {@link ChatException} when the endpoint refused the request or
     * kept failing after the retries, with a reason that names no credential.
     */
    ChatCompletion complete(ChatRequest request)
            throws ChatException, InterruptedException;

    /** Lets go of connections; nothing by default. */
    @Override
    default void close() {}

    /** Why a completion could not be had: the reason is safe to store and print (it never holds the API key). */
    final class ChatException
            extends IOException
    {
        public ChatException(String reason)
        {
            super(reason);
        }

        public ChatException(String reason, Throwable cause)
        {
            super(reason, cause);
        }
    }
}
