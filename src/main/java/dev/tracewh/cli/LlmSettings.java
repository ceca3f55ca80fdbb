package dev.tracewh.cli;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where an LLM judge sends its requests: the endpoint's base URL (up to {@code /v1}), the model, the API key (from the
 * environment only; empty for a local server that needs none) and the per-request timeout. {@link #toString} leaves
 * the key out, so printing the settings never prints it.
 */
record LlmSettings(String baseUrl, String model, Optional<String> apiKey, Duration timeout)
{
    static final String BASE_URL_VARIABLE = "TRACEWH_LLM_BASE_URL";
    static final String MODEL_VARIABLE = "TRACEWH_LLM_MODEL";
    static final String API_KEY_VARIABLE = "TRACEWH_LLM_API_KEY";
    static final String OPENAI_API_KEY_VARIABLE = "OPENAI_API_KEY";
    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    LlmSettings
    {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(model, "model is null");
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(timeout, "timeout is null");
    }

    /** The options where given, else the environment; the key only from the environment. */
    static LlmSettings resolve(String baseUrlOption, String modelOption, Duration timeout, Map<String, String> environment)
    {
        String baseUrl = firstSet(baseUrlOption, environment.get(BASE_URL_VARIABLE)).orElse(DEFAULT_BASE_URL);
        String model = firstSet(modelOption, environment.get(MODEL_VARIABLE)).orElseThrow(() ->
                new UsageException("name the model with --model or " + MODEL_VARIABLE));
        Optional<String> apiKey = firstSet(environment.get(API_KEY_VARIABLE), environment.get(OPENAI_API_KEY_VARIABLE));
        return new LlmSettings(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl, model, apiKey, timeout);
    }

    private static Optional<String> firstSet(String first, String second)
    {
        if (first != null && !first.isBlank()) {
            return Optional.of(first.strip());
        }
        return second != null && !second.isBlank() ? Optional.of(second.strip()) : Optional.empty();
    }

    @Override
    public String toString()
    {
        return "LlmSettings[baseUrl=%s, model=%s, apiKey=%s, timeout=%s]".formatted(baseUrl, model, apiKey.isPresent() ? "(set)" : "(none)", timeout);
    }
}
