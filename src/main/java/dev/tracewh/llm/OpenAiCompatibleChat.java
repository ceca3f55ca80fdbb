package dev.tracewh.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A {@link ChatModel} behind {@code POST <base URL>/chat/completions} of an OpenAI-compatible endpoint. Safe to call
 * from many threads at once.
 *
 * <p>An answer schema is sent as {@code response_format} {@code json_schema} (strict). An endpoint that answers 400
 * naming {@code response_format} as unsupported is asked for {@code json_object} instead, and then for no
 * {@code response_format} at all (the prompt must say to answer JSON); the step down holds for the rest of this
 * client's life. 429, 408, 5xx, timeouts and connection failures are retried after {@code Retry-After} or an
 * exponential backoff with jitter; any other refusal fails at once.
 */
public final class OpenAiCompatibleChat
        implements ChatModel
{
    /** The {@code response_format} sent with an answer schema, from the best to none. */
    public enum ResponseFormat
    {
        JSON_SCHEMA, JSON_OBJECT, NONE
    }

    private static final int MESSAGE_LIMIT = 300;
    private static final ObjectMapper JSON = new ObjectMapper();
    // OpenAI echoes a wrong key half-masked (sk-proj-abc***wxyz): even its ends are not repeated
    private static final Pattern OPENAI_STYLE_KEY = Pattern.compile("\\bsk-[A-Za-z0-9*_\\-.]{4,}");

    private final ChatEndpoint endpoint;
    private final URI url;
    private final ChatClientOptions options;
    private final Sleeper sleeper;
    private final Clock clock;
    private final HttpClient http;
    private final AtomicReference<ResponseFormat> responseFormat = new AtomicReference<>(ResponseFormat.JSON_SCHEMA);

    public OpenAiCompatibleChat(ChatEndpoint endpoint, ChatClientOptions options)
    {
        this(endpoint, options, Sleeper.THREAD_SLEEP, Clock.systemUTC());
    }

    /** With the waits between retries and the clock that dates {@code Retry-After} given (tests). */
    public OpenAiCompatibleChat(ChatEndpoint endpoint, ChatClientOptions options, Sleeper sleeper, Clock clock)
    {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.options = requireNonNull(options, "options is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.url = endpoint.chatCompletionsUrl();
        // HTTP/1.1: on plain http, HTTP/2 would first try an h2c upgrade, which some local servers mishandle
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The {@code response_format} the next request with an answer schema is sent with. */
    public ResponseFormat responseFormat()
    {
        return responseFormat.get();
    }

    @Override
    public ChatCompletion complete(ChatRequest request)
            throws ChatException, InterruptedException
    {
        requireNonNull(request, "request is null");
        long promptTokens = 0;
        long completionTokens = 0;
        int failures = 0;
        while (true) {
            ResponseFormat format = request.answerSchema() == null ? ResponseFormat.NONE : responseFormat.get();
            String failure;
            Optional<Duration> retryAfter = Optional.empty();
            HttpResponse<String> response = null;
            try {
                response = http.send(httpRequest(request, format), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                failure = null;
            }
            catch (HttpTimeoutException e) {
                failure = "no answer within " + options.requestTimeout().toMillis() + " ms";
            }
            catch (IOException e) {
                failure = "connection failed: " + describe(e);
            }
            if (response != null) {
                JsonNode body = parse(response.body());
                promptTokens += body.path("usage").path("prompt_tokens").asLong(0);
                completionTokens += body.path("usage").path("completion_tokens").asLong(0);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return completion(response.body(), body, promptTokens, completionTokens);
                }
                if (format != ResponseFormat.NONE && refusesResponseFormat(status, response.body())) {
                    responseFormat.compareAndSet(format, ResponseFormat.values()[format.ordinal() + 1]);
                    continue;
                }
                failure = status + " " + errorMessage(response.body(), body);
                if (!isTransient(status, body)) {
                    throw new ChatException(url + " answered " + failure);
                }
                retryAfter = response.headers().firstValue("Retry-After").flatMap(value -> RetryAfter.parse(value, clock.instant()));
            }
            failures++;
            if (failures >= options.maxAttempts()) {
                throw new ChatException("no answer from " + url + " after " + failures + " attempts; the last: " + failure);
            }
            sleeper.sleep(retryAfter.isPresent() ? capRetryAfter(retryAfter.get()) : backoff(failures));
        }
    }

    @Override
    public void close()
    {
        http.close();
    }

    @Override
    public String toString()
    {
        return "OpenAiCompatibleChat[" + endpoint + "]";
    }

    private HttpRequest httpRequest(ChatRequest request, ResponseFormat format)
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                .timeout(options.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(request, format), StandardCharsets.UTF_8));
        if (endpoint.hasApiKey()) {
            builder.header("Authorization", "Bearer " + endpoint.apiKey());
        }
        return builder.build();
    }

    private static String body(ChatRequest request, ResponseFormat format)
    {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", request.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatRequest.ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        body.put("temperature", 0);
        switch (format) {
            case JSON_SCHEMA -> {
                ObjectNode schema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema");
                schema.put("name", request.schemaName());
                schema.set("schema", request.answerSchema());
                schema.put("strict", true);
            }
            case JSON_OBJECT -> body.putObject("response_format").put("type", "json_object");
            case NONE -> {}
        }
        return body.toString();
    }

    private ChatCompletion completion(String text, JsonNode body, long promptTokens, long completionTokens)
            throws ChatException
    {
        if (!body.isObject()) {
            throw new ChatException(url + " answered with no chat completion (is the base URL the API's, ending in /v1?): " + cut(text));
        }
        JsonNode choice = body.path("choices").path(0);
        if (choice.isMissingNode()) {
            throw new ChatException(url + " answered with no choice: " + cut(text));
        }
        JsonNode content = choice.path("message").path("content");
        if (!content.isTextual()) {
            JsonNode refusal = choice.path("message").path("refusal");
            throw new ChatException(refusal.isTextual()
                    ? "the model refused: " + cut(refusal.asText())
                    : "the answer has no content (finish_reason " + choice.path("finish_reason").asText("none") + ")");
        }
        JsonNode model = body.path("model");
        return new ChatCompletion(content.asText(), model.isTextual() ? model.asText() : null, promptTokens, completionTokens);
    }

    private static boolean refusesResponseFormat(int status, String text)
    {
        if (status != 400 && status != 422) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        // a schema OpenAI finds invalid (strict mode's rules) is the judge's error to fix, not an unsupported feature
        return (lower.contains("response_format") || lower.contains("json_schema") || lower.contains("json_object"))
                && !lower.contains("invalid schema");
    }

    private static boolean isTransient(int status, JsonNode body)
    {
        if (status == 429) {
            // a quota used up stays used up: retrying only delays the failure
            return !"insufficient_quota".equals(body.path("error").path("code").asText(body.path("error").path("type").asText()));
        }
        return status == 408 || status >= 500;
    }

    private Duration capRetryAfter(Duration wait)
    {
        return wait.compareTo(options.maxRetryAfter()) > 0 ? options.maxRetryAfter() : wait;
    }

    /** Half the doubled backoff, plus a random part up to the other half, so parallel callers do not retry in step. */
    private Duration backoff(int failures)
    {
        long initial = options.initialBackoff().toMillis();
        long max = options.maxBackoff().toMillis();
        long base = failures > 30 ? max : Math.min(max, initial << (failures - 1));
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    private String errorMessage(String text, JsonNode body)
    {
        JsonNode error = body.path("error");
        for (JsonNode message : new JsonNode[] {error.path("message"), error, body.path("message"), body.path("detail")}) {
            if (message.isTextual() && !message.asText().isBlank()) {
                return cut(message.asText());
            }
        }
        return text.isBlank() ? "(no message)" : cut(text);
    }

    private String describe(IOException e)
    {
        String message = e.getMessage() == null && e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + cut(message));
    }

    /** A text from the endpoint, short enough for a log line and holding no API key. */
    private String cut(String text)
    {
        String safe = text.strip();
        if (endpoint.hasApiKey()) {
            safe = safe.replace(endpoint.apiKey(), "[API key]");
        }
        safe = OPENAI_STYLE_KEY.matcher(safe).replaceAll("sk-[hidden]");
        return safe.length() <= MESSAGE_LIMIT ? safe : safe.substring(0, MESSAGE_LIMIT) + "...";
    }

    private static JsonNode parse(String text)
    {
        try {
            return JSON.readTree(text);
        }
        catch (JsonProcessingException notJson) {
            return JSON.missingNode();
        }
    }
}
