package dev.tracewh.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.llm.ChatModel.ChatException;
import dev.tracewh.llm.ChatRequest.ChatMessage;
import dev.tracewh.testing.ChatCompletionsServer;
import dev.tracewh.testing.ChatCompletionsServer.RecordedRequest;
import dev.tracewh.testing.ChatCompletionsServer.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.tracewh.testing.ChatCompletionsServer.inTurn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiCompatibleChatTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-test-4f9a0c2e7b1d";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final JsonNode SCHEMA = json("""
            {"type": "object", "properties": {"training_value": {"type": "integer"}},
             "required": ["training_value"], "additionalProperties": false}""");
    private static final ChatRequest JUDGED = new ChatRequest("gpt-test",
            List.of(new ChatMessage("system", "Answer JSON."), new ChatMessage("user", "Judge this trace.")), "trace_digest", SCHEMA);

    /** Records each wait instead of sleeping. */
    private static final class RecordingSleeper
            implements Sleeper
    {
        private final List<Duration> waits = new ArrayList<>();

        @Override
        public synchronized void sleep(Duration duration)
        {
            waits.add(duration);
        }

        synchronized List<Duration> waits()
        {
            return List.copyOf(waits);
        }
    }

    private final RecordingSleeper sleeper = new RecordingSleeper();

    @Test
    void parsesTheAnswerItsUsageAndTheReportedModel()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> Response.completion("{\"training_value\": 3}", "gpt-test-2026-02-01", 120, 17));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults())) {
            assertEquals(new ChatCompletion("{\"training_value\": 3}", "gpt-test-2026-02-01", 120, 17), chat.complete(JUDGED));
        }
    }

    @Test
    void sendsModelMessagesTemperatureZeroAndTheStrictJsonSchemaToChatCompletions()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> Response.completion("{}", 1, 1));
                OpenAiCompatibleChat chat = chat(URI.create(server.baseUrl() + "/"), KEY, ChatClientOptions.defaults())) {
            chat.complete(JUDGED);
            RecordedRequest request = server.requests().getFirst();
            assertEquals("POST", request.method());
            assertEquals("/v1/chat/completions", request.path());
            assertEquals("application/json", request.header("Content-Type"));
            assertEquals(json("""
                    {"model": "gpt-test",
                     "messages": [{"role": "system", "content": "Answer JSON."}, {"role": "user", "content": "Judge this trace."}],
                     "temperature": 0,
                     "response_format": {"type": "json_schema", "json_schema": {"name": "trace_digest", "schema": %s, "strict": true}}}
                    """.formatted(SCHEMA)), request.json());
        }
    }

    @Test
    void aRequestWithoutSchemaSendsNoResponseFormat()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> Response.completion("free text", 1, 1));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), null, ChatClientOptions.defaults())) {
            assertEquals("free text", chat.complete(new ChatRequest("m", List.of(new ChatMessage("user", "hi")), null, null)).content());
            assertFalse(server.requests().getFirst().json().has("response_format"));
        }
    }

    @Test
    void stepsDownToJsonObjectThenToNoResponseFormatAndRemembersIt()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> switch (request.json().path("response_format").path("type").asText("none")) {
            case "json_schema" -> Response.error(400, "response_format type 'json_schema' is not supported by this model");
            case "json_object" -> Response.error(400, "Unsupported value: 'response_format.type' does not support 'json_object'");
            default -> Response.completion("{\"training_value\": 2}", 40, 8);
        });
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults())) {
            assertEquals("{\"training_value\": 2}", chat.complete(JUDGED).content());
            assertEquals(OpenAiCompatibleChat.ResponseFormat.NONE, chat.responseFormat());
            chat.complete(JUDGED);
            assertEquals(List.of("json_schema", "json_object", "none", "none"),
                    server.requests().stream().map(request -> request.json().path("response_format").path("type").asText("none")).toList());
            assertEquals(List.of(), sleeper.waits());
        }
    }

    @Test
    void aJsonObjectEndpointIsAskedForJsonObjectFromTheSecondCallOn()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> request.body().contains("json_schema")
                ? Response.error(400, "json_schema response format is not supported")
                : Response.completion("{\"training_value\": 1}", 1, 1));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults())) {
            chat.complete(JUDGED);
            chat.complete(JUDGED);
            assertEquals(OpenAiCompatibleChat.ResponseFormat.JSON_OBJECT, chat.responseFormat());
            assertEquals(3, server.requestCount());
            assertEquals(json("{\"type\": \"json_object\"}"), server.requests().get(2).json().path("response_format"));
        }
    }

    @Test
    void aSchemaTheEndpointFindsInvalidFailsAtOnceInsteadOfSteppingDown()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> Response.error(400,
                "Invalid schema for response_format 'trace_digest': 'additionalProperties' is required to be supplied and to be false"));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults())) {
            ChatException failure = assertThrows(ChatException.class, () -> chat.complete(JUDGED));
            assertTrue(failure.getMessage().contains("400 Invalid schema for response_format 'trace_digest'"), failure.getMessage());
            assertEquals(1, server.requestCount());
            assertEquals(OpenAiCompatibleChat.ResponseFormat.JSON_SCHEMA, chat.responseFormat());
        }
    }

    @Test
    void a429IsRetriedAfterItsRetryAfterSecondsAndTheTokensOfEveryAttemptAreSummed()
            throws Exception
    {
        Response limited = Response.json(429, """
                {"error": {"message": "Rate limit reached", "type": "requests"}, "usage": {"prompt_tokens": 5, "completion_tokens": 0}}""")
                .withHeader("Retry-After", "7");
        try (ChatCompletionsServer server = ChatCompletionsServer.start(inTurn(limited, Response.completion("{}", 100, 10)));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults())) {
            ChatCompletion completion = chat.complete(JUDGED);
            assertEquals(105, completion.promptTokens());
            assertEquals(10, completion.completionTokens());
            assertEquals(List.of(Duration.ofSeconds(7)), sleeper.waits());
            assertEquals(2, server.requestCount());
        }
    }

    @Test
    void retryAfterAsAnHttpDateAndALongRetryAfterCutToTheMaximum()
            throws Exception
    {
        Response byDate = Response.error(503, "overloaded").withHeader("Retry-After", "Sun, 01 Mar 2026 12:00:12 GMT");
        Response tooLong = Response.error(429, "slow down").withHeader("Retry-After", "3600");
        try (ChatCompletionsServer server = ChatCompletionsServer.start(inTurn(byDate, tooLong, Response.completion("{}", 1, 1)));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults().withMaxRetryAfter(Duration.ofSeconds(45)))) {
            chat.complete(JUDGED);
            assertEquals(List.of(Duration.ofSeconds(12), Duration.ofSeconds(45)), sleeper.waits());
        }
    }

    @Test
    void a500IsRetriedAfterAnExponentialBackoffWithJitter()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(inTurn(Response.error(500, "boom"), Response.json(502, "<html>bad gateway</html>"),
                Response.completion("{\"training_value\": 4}", 1, 1)));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults().withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(30)))) {
            assertEquals("{\"training_value\": 4}", chat.complete(JUDGED).content());
            List<Duration> waits = sleeper.waits();
            assertEquals(2, waits.size());
            assertBetween(Duration.ofSeconds(1), Duration.ofSeconds(2), waits.get(0));
            assertBetween(Duration.ofSeconds(2), Duration.ofSeconds(4), waits.get(1));
        }
    }

    @Test
    void failsNamingTheLastFailureWhenTheAttemptsRunOut()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> Response.error(503, "The engine is currently overloaded"));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults().withMaxAttempts(4))) {
            ChatException failure = assertThrows(ChatException.class, () -> chat.complete(JUDGED));
            assertEquals("no answer from " + server.baseUrl() + "/chat/completions after 4 attempts; the last: 503 The engine is currently overloaded",
                    failure.getMessage());
            assertEquals(4, server.requestCount());
            assertEquals(3, sleeper.waits().size());
        }
    }

    @Test
    void aTimeoutIsRetried()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(inTurn(Response.completion("late", 1, 1).delayedBy(Duration.ofMinutes(1)),
                Response.completion("on time", 3, 4)));
                // long enough that only the late answer misses it, also on a busy machine
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults().withRequestTimeout(Duration.ofSeconds(2)))) {
            assertEquals(new ChatCompletion("on time", ChatCompletionsServer.REPORTED_MODEL, 3, 4), chat.complete(JUDGED));
            assertEquals(2, server.requestCount());
        }
    }

    @Test
    void timeoutsUntilTheAttemptsRunOutFail()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> Response.completion("late", 1, 1).delayedBy(Duration.ofMinutes(1)));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults().withRequestTimeout(Duration.ofSeconds(1)).withMaxAttempts(3))) {
            ChatException failure = assertThrows(ChatException.class, () -> chat.complete(JUDGED));
            assertTrue(failure.getMessage().endsWith("after 3 attempts; the last: no answer within 1000 ms"), failure.getMessage());
            assertEquals(3, server.requestCount());
        }
    }

    @Test
    void aRefusedConnectionIsRetried()
            throws Exception
    {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (OpenAiCompatibleChat chat = chat(URI.create("http://127.0.0.1:" + closedPort + "/v1"), KEY, ChatClientOptions.defaults().withMaxAttempts(2))) {
            ChatException failure = assertThrows(ChatException.class, () -> chat.complete(JUDGED));
            assertTrue(failure.getMessage().contains("after 2 attempts; the last: connection failed: ConnectException"), failure.getMessage());
            assertEquals(1, sleeper.waits().size());
        }
    }

    @Test
    void a401FailsAtOnceNamingTheStatusAndMessageButNotTheKey()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> Response.error(401,
                "Incorrect API key provided: " + KEY + " (sk-test-4f9***7b1d). You can find your API key at https://platform.openai.com/account/api-keys."));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults())) {
            ChatException failure = assertThrows(ChatException.class, () -> chat.complete(JUDGED));
            assertTrue(failure.getMessage().startsWith(server.baseUrl() + "/chat/completions answered 401 Incorrect API key provided: "), failure.getMessage());
            assertFalse(failure.getMessage().contains(KEY), failure.getMessage());
            assertFalse(failure.getMessage().contains("4f9"), failure.getMessage());
            assertEquals(1, server.requestCount());
            assertEquals(List.of(), sleeper.waits());
        }
    }

    @Test
    void aUsedUpQuotaIsNotRetried()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> Response.json(429, """
                {"error": {"message": "You exceeded your current quota", "type": "insufficient_quota", "code": "insufficient_quota"}}""")
                .withHeader("Retry-After", "1"));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults())) {
            ChatException failure = assertThrows(ChatException.class, () -> chat.complete(JUDGED));
            assertTrue(failure.getMessage().endsWith("answered 429 You exceeded your current quota"), failure.getMessage());
            assertEquals(1, server.requestCount());
        }
    }

    @Test
    void anAnswerThatIsNoChatCompletionFailsWithAHintAtTheBaseUrl()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> new Response(200, Map.of("Content-Type", "text/html"),
                "<html>Open WebUI</html>", Duration.ZERO));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults())) {
            ChatException failure = assertThrows(ChatException.class, () -> chat.complete(JUDGED));
            assertTrue(failure.getMessage().contains("is the base URL the API's, ending in /v1?): <html>Open WebUI</html>"), failure.getMessage());
        }
    }

    @Test
    void theKeyTravelsInTheAuthorizationHeaderOnly()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> Response.completion("{}", 1, 1));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults())) {
            chat.complete(JUDGED);
            RecordedRequest request = server.requests().getFirst();
            assertEquals("Bearer " + KEY, request.header("Authorization"));
            assertFalse(request.body().contains(KEY));
            assertFalse(request.path().contains(KEY));
            assertFalse(chat.toString().contains(KEY), chat.toString());
        }
    }

    @Test
    void noKeyNoAuthorizationHeader()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> Response.completion("{}", 1, 1));
                OpenAiCompatibleChat chat = chat(server.baseUrl(), null, ChatClientOptions.defaults())) {
            chat.complete(JUDGED);
            assertNull(server.requests().getFirst().header("Authorization"));
        }
    }

    @Test
    void aRealOneSecondRetryAfterIsWaitedFor()
            throws Exception
    {
        try (ChatCompletionsServer server = ChatCompletionsServer.start(inTurn(Response.error(429, "slow down").withHeader("Retry-After", "1"),
                Response.completion("{}", 1, 1)));
                OpenAiCompatibleChat chat = new OpenAiCompatibleChat(new ChatEndpoint(server.baseUrl(), "gpt-test", KEY), ChatClientOptions.defaults())) {
            long start = System.nanoTime();
            chat.complete(JUDGED);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMillis >= 1000, elapsedMillis + " ms");
            assertEquals(2, server.requestCount());
        }
    }

    @Test
    void eightThreadsAreAnsweredInParallelEachWithItsOwnAnswer()
            throws Exception
    {
        int threads = 8;
        // each of the first eight requests is held until all eight have arrived: they can only be answered if sent and served in parallel
        CountDownLatch allArrived = new CountDownLatch(threads);
        try (ChatCompletionsServer server = ChatCompletionsServer.start(request -> {
            allArrived.countDown();
            try {
                if (!allArrived.await(30, TimeUnit.SECONDS)) {
                    return Response.error(500, "the requests did not arrive in parallel");
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.completion("echo " + request.lastUserMessage(), 2, 1);
        });
                OpenAiCompatibleChat chat = chat(server.baseUrl(), KEY, ChatClientOptions.defaults().withMaxAttempts(1));
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<List<String>>> answers = new ArrayList<>();
            for (int thread = 0; thread < threads; thread++) {
                int t = thread;
                answers.add(pool.submit(() -> {
                    List<String> contents = new ArrayList<>();
                    for (int call = 0; call < 25; call++) {
                        contents.add(chat.complete(new ChatRequest("gpt-test", List.of(new ChatMessage("user", t + "/" + call)), null, null)).content());
                    }
                    return contents;
                }));
            }
            for (int thread = 0; thread < threads; thread++) {
                List<String> expected = new ArrayList<>();
                for (int call = 0; call < 25; call++) {
                    expected.add("echo " + thread + "/" + call);
                }
                assertEquals(expected, answers.get(thread).get(60, TimeUnit.SECONDS));
            }
            assertEquals(threads * 25, server.requestCount());
        }
    }

    private OpenAiCompatibleChat chat(URI baseUrl, String key, ChatClientOptions options)
    {
        return new OpenAiCompatibleChat(new ChatEndpoint(baseUrl, "gpt-test", key), options, sleeper, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static void assertBetween(Duration low, Duration high, Duration actual)
    {
        assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0, actual + " is not within " + low + " and " + high);
    }

    private static JsonNode json(String text)
    {
        try {
            return JSON.readTree(text);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
