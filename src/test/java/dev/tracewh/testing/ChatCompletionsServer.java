package dev.tracewh.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * An OpenAI-compatible chat completions endpoint on the loopback address for tests: every request is recorded and
 * answered by a scripted function. Requests are served in parallel (a virtual thread each), so a response's delay
 * holds up no other request. Built on the JDK's own HTTP server: it needs no dependency and speaks real HTTP/1.1
 * with keep-alive, which is all a chat completions client needs.
 */
public final class ChatCompletionsServer
        implements AutoCloseable
{
    /** The model id {@link Response#completion(String, long, long)} reports. */
    public static final String REPORTED_MODEL = "test-model-2026-01";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received: its index from 0, the path with the query, header names in lower case, the body as text. */
    public record RecordedRequest(int index, String method, String path, Map<String, List<String>> headers, String body)
    {
        public RecordedRequest
        {
            headers = Map.copyOf(headers);
        }

        /** The header's first value, null when absent; {@code name} in any case. */
        public String header(String name)
        {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        public JsonNode json()
        {
            try {
                return JSON.readTree(body);
            }
            catch (IOException e) {
                throw new UncheckedIOException("the request body is not JSON: " + body, e);
            }
        }

        /** The content of the request's last {@code user} message. */
        public String lastUserMessage()
        {
            String last = null;
            for (JsonNode message : json().path("messages")) {
                if ("user".equals(message.path("role").asText())) {
                    last = message.path("content").asText();
                }
            }
            if (last == null) {
                throw new IllegalStateException("the request has no user message: " + body);
            }
            return last;
        }
    }

    /** One answer: status, headers, body, and how long to wait before sending it (to provoke a client's timeout). */
    public record Response(int status, Map<String, String> headers, String body, Duration delay)
    {
        public Response
        {
            headers = Map.copyOf(headers);
            requireNonNull(body, "body is null");
            requireNonNull(delay, "delay is null");
        }

        /** A chat completion answering {@code content}, reporting {@link #REPORTED_MODEL} and the given usage. */
        public static Response completion(String content, long promptTokens, long completionTokens)
        {
            return completion(content, REPORTED_MODEL, promptTokens, completionTokens);
        }

        public static Response completion(String content, String reportedModel, long promptTokens, long completionTokens)
        {
            ObjectNode body = JSON.createObjectNode()
                    .put("id", "chatcmpl-test")
                    .put("object", "chat.completion")
                    .put("created", 1_767_225_600L)
                    .put("model", reportedModel);
            ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", content);
            body.putObject("usage")
                    .put("prompt_tokens", promptTokens)
                    .put("completion_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens);
            return json(200, body.toString());
        }

        /** A chat completion whose content is {@code answer} written as JSON. */
        public static Response completion(JsonNode answer, long promptTokens, long completionTokens)
        {
            return completion(answer.toString(), promptTokens, completionTokens);
        }

        /** An error as OpenAI writes it: {@code {"error": {"message": ..., "type": ...}}}. */
        public static Response error(int status, String message)
        {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("error").put("message", message).put("type", status == 429 ? "rate_limit_exceeded" : "invalid_request_error");
            return json(status, body.toString());
        }

        public static Response json(int status, String body)
        {
            return new Response(status, Map.of("Content-Type", "application/json"), body, Duration.ZERO);
        }

        public Response withHeader(String name, String value)
        {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, more, body, delay);
        }

        public Response delayedBy(Duration wait)
        {
            return new Response(status, headers, body, wait);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicInteger count = new AtomicInteger();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private volatile Function<RecordedRequest, Response> answers;

    private ChatCompletionsServer(HttpServer server, ExecutorService executor, Function<RecordedRequest, Response> answers)
    {
        this.server = server;
        this.executor = executor;
        this.answers = answers;
    }

    /** A server on 127.0.0.1 and a free port, answering each request with {@code answers}. */
    public static ChatCompletionsServer start(Function<RecordedRequest, Response> answers)
    {
        requireNonNull(answers, "answers is null");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            ChatCompletionsServer chat = new ChatCompletionsServer(server, executor, answers);
            server.createContext("/", chat::serve);
            server.setExecutor(executor);
            server.start();
            return chat;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers in turn: the nth request gets the nth response, and every request after the last gets the last. */
    public static Function<RecordedRequest, Response> inTurn(Response... responses)
    {
        List<Response> turns = List.of(responses);
        if (turns.isEmpty()) {
            throw new IllegalArgumentException("no response given");
        }
        return request -> turns.get(Math.min(request.index(), turns.size() - 1));
    }

    /** From now on, answers with {@code next}. */
    public void answerWith(Function<RecordedRequest, Response> next)
    {
        this.answers = requireNonNull(next, "next is null");
    }

    /** {@code http://127.0.0.1:<port>/v1}, the base URL a client is given. */
    public URI baseUrl()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    /** The requests received so far, in the order they arrived. */
    public List<RecordedRequest> requests()
    {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public int requestCount()
    {
        return count.get();
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            RecordedRequest request = record(exchange);
            Response response;
            try {
                response = answers.apply(request);
            }
            catch (RuntimeException e) {
                response = Response.error(500, "the test's script failed: " + e);
            }
            if (!response.delay().isZero()) {
                try {
                    Thread.sleep(response.delay());
                }
                catch (InterruptedException closing) {
                    return;
                }
            }
            response.headers().forEach(exchange.getResponseHeaders()::add);
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        catch (IOException clientGone) {
            // a client that timed out has closed the connection: nothing is left to answer
        }
    }

    private RecordedRequest record(HttpExchange exchange)
            throws IOException
    {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        URI uri = exchange.getRequestURI();
        synchronized (requests) {
            RecordedRequest request = new RecordedRequest(count.getAndIncrement(), exchange.getRequestMethod(), uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), headers, body);
            requests.add(request);
            return request;
        }
    }
}
