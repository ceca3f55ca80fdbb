package dev.tracewh.llm;

import java.net.URI;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Where the chat completions API is and which model to ask: the base URL ({@code https://api.openai.com/v1},
 * {@code http://127.0.0.1:8080/v1}, without {@code /chat/completions}), the model id, and the API key (null for a
 * local server that needs none). {@link #toString()} never shows the key.
 */
public record ChatEndpoint(URI baseUrl, String model, String apiKey)
{
    public static final String API_KEY_VARIABLE = "TRACEWH_LLM_API_KEY";
    public static final String OPENAI_API_KEY_VARIABLE = "OPENAI_API_KEY";
    public static final String BASE_URL_VARIABLE = "TRACEWH_LLM_BASE_URL";
    public static final String MODEL_VARIABLE = "TRACEWH_LLM_MODEL";

    public ChatEndpoint
    {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(model, "model is null");
        String scheme = baseUrl.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("the base URL must be an http or https URL with a host: " + baseUrl);
        }
        if (baseUrl.getRawUserInfo() != null) {
            // a URL is printed in messages; a credential in it would be printed with it
            throw new IllegalArgumentException("the base URL must not hold a user or password; give the key in " + API_KEY_VARIABLE);
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("the model is blank");
        }
        if (apiKey != null) {
            apiKey = apiKey.strip();
            if (apiKey.isEmpty()) {
                apiKey = null;
            }
            else if (apiKey.chars().anyMatch(Character::isISOControl)) {
                // the message must not repeat the key
                throw new IllegalArgumentException("the API key holds a control character (a line break?)");
            }
        }
    }

    /**
     * The endpoint from the command line's options (null when not given) and the environment: {@code baseUrlOption}
     * wins over {@value #BASE_URL_VARIABLE}, {@code modelOption} over {@value #MODEL_VARIABLE}; the key comes from
     * {@value #API_KEY_VARIABLE}, else {@value #OPENAI_API_KEY_VARIABLE}, else there is none. A blank value counts as
     * absent. Throws {@link IllegalArgumentException} naming the option and variable when the base URL or model is
     * missing.
     */
    public static ChatEndpoint resolve(Map<String, String> environment, String baseUrlOption, String modelOption)
    {
        requireNonNull(environment, "environment is null");
        String baseUrl = firstGiven(baseUrlOption, environment.get(BASE_URL_VARIABLE));
        if (baseUrl == null) {
            throw new IllegalArgumentException("no endpoint: give --base-url or set " + BASE_URL_VARIABLE
                    + " (for example https://api.openai.com/v1 or http://127.0.0.1:8080/v1)");
        }
        String model = firstGiven(modelOption, environment.get(MODEL_VARIABLE));
        if (model == null) {
            throw new IllegalArgumentException("no model: give --model or set " + MODEL_VARIABLE);
        }
        URI uri;
        try {
            uri = new URI(baseUrl.strip());
        }
        catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("the base URL is not a URL: " + e.getMessage(), e);
        }
        return new ChatEndpoint(uri, model.strip(), firstGiven(environment.get(API_KEY_VARIABLE), environment.get(OPENAI_API_KEY_VARIABLE)));
    }

    public boolean hasApiKey()
    {
        return apiKey != null;
    }

    /** {@code <base URL>/chat/completions}, whether or not the base URL ends with a slash. */
    public URI chatCompletionsUrl()
    {
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/chat/completions");
    }

    @Override
    public String toString()
    {
        return "ChatEndpoint[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (hasApiKey() ? "(set)" : "(none)") + "]";
    }

    private static String firstGiven(String first, String second)
    {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second == null || second.isBlank() ? null : second;
    }
}
