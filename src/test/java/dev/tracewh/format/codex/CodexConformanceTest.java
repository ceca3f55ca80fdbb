package dev.tracewh.format.codex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.testing.SharedFixtures;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the parser over the shared fixtures: the synthetic corpora against their {@code expected.json}, and the
 * real rollouts against what a naive line-by-line reading of each file says.
 */
class CodexConformanceTest
{
    /** Fault kinds whose line a lenient reader skips and reports, with the issue class tracewh gives it. */
    private static final Map<String, String> REPORTED_FAULTS = Map.of(
            "invalid_json_middle", JsonLines.INVALID_JSON,
            "non_object_line", JsonLines.NOT_AN_OBJECT);
    /** Fault kinds the reader absorbs: a truncated last line is a write in progress, not a broken line. */
    private static final Set<String> ABSORBED_FAULTS = Set.of("truncated_last_line", "empty_file", "bom", "crlf", "lone_surrogate_escape");
    private static final List<String> TOKEN_FIELDS = List.of(
            "input_tokens", "cached_input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens");

    private final ObjectMapper mapper = JsonLines.newMapper();
    private final CodexFormat format = new CodexFormat();

    @TestFactory
    Stream<DynamicNode> syntheticCorpus()
            throws IOException
    {
        return SharedFixtures.nodes(() -> corpus("codex"));
    }

    @TestFactory
    Stream<DynamicNode> syntheticFaultsCorpus()
            throws IOException
    {
        return SharedFixtures.nodes(() -> corpus("codex_faults"));
    }

    private Stream<DynamicNode> corpus(String name)
            throws IOException
    {
        Path corpus = SharedFixtures.path("synthetic/" + name);
        JsonNode expected = mapper.readTree(corpus.resolve("expected.json").toFile());
        Map<String, ParsedFile> parsed = new TreeMap<>();
        for (Path file : format.discover(corpus.resolve("sessions"))) {
            parsed.put(corpus.relativize(file).toString().replace('\\', '/'), parse(file));
        }

        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(DynamicTest.dynamicTest("discovers exactly the expected files", () -> {
            Set<String> files = new TreeSet<>();
            expected.get("sessions").forEach(session -> files.add(session.get("file").textValue()));
            assertEquals(files, parsed.keySet());
            assertEquals(expected.get("corpus").get("session_files").intValue(), parsed.size());
        }));
        for (JsonNode session : expected.get("sessions")) {
            String file = session.get("file").textValue();
            nodes.add(DynamicContainer.dynamicContainer(file, sessionTests(session, faults(expected, file), corpus.resolve(file), parsed.get(file))));
        }
        nodes.add(DynamicTest.dynamicTest("corpus totals", () -> corpusTotals(expected.get("corpus"), parsed.values())));
        return nodes.stream();
    }

    private static List<JsonNode> faults(JsonNode expected, String file)
    {
        List<JsonNode> faults = new ArrayList<>();
        expected.get("faults").forEach(fault -> {
            if (fault.get("file").textValue().equals(file)) {
                faults.add(fault);
            }
        });
        return faults;
    }

    private Stream<DynamicTest> sessionTests(JsonNode session, List<JsonNode> faults, Path file, ParsedFile parsed)
    {
        JsonNode stats = session.get("stats");
        boolean empty = faults.stream().anyMatch(fault -> fault.get("kind").textValue().equals("empty_file"));
        return Stream.of(
                DynamicTest.dynamicTest("issues", () -> {
                    assertNotNull(parsed, "file not discovered");
                    Map<Long, String> expectedIssues = new TreeMap<>();
                    for (JsonNode fault : faults) {
                        String kind = fault.get("kind").textValue();
                        if (REPORTED_FAULTS.containsKey(kind)) {
                            expectedIssues.put(fault.get("line").longValue(), REPORTED_FAULTS.get(kind));
                        }
                        else {
                            assertTrue(ABSORBED_FAULTS.contains(kind), "fault kind without a rule in this test: " + kind);
                        }
                    }
                    Map<Long, String> issues = new TreeMap<>();
                    parsed.issues().forEach(issue -> issues.put(issue.lineNumber(), issue.errorClass()));
                    assertEquals(expectedIssues, issues, () -> "issues: " + parsed.issues());
                }),
                DynamicTest.dynamicTest("identity", () -> {
                    assertEquals(empty ? 0 : 1, parsed.traces().size());
                    if (empty) {
                        return;
                    }
                    Trace trace = parsed.traces().getFirst();
                    assertEquals(session.get("session_id").textValue(), trace.traceId());
                    assertEquals(trace.traceId(), trace.rootSessionId());
                    assertEquals(session.get("cwd").textValue(), trace.cwd());
                    assertEquals(session.get("cwd").textValue(), trace.projectPath());
                    assertEquals(emptyToNull(session.get("git_branch")), trace.gitBranch());
                    assertEquals(emptyToNull(session.get("cli_version")), trace.sourceMeta().get("cli_version"));
                    assertEquals(emptyToNull(session.get("originator")), trace.sourceMeta().get("originator"));
                    assertEquals(session.get("layout").textValue().equals("pre_envelope") ? "bare" : "envelope", trace.sourceMeta().get("layout"));
                    assertNull(trace.agentId());
                    assertFalse(trace.isSidechain());
                }),
                DynamicTest.dynamicTest("messages and tool calls", () -> {
                    List<Trace> traces = parsed.traces();
                    List<Message> messages = traces.stream().flatMap(trace -> trace.messages().stream()).toList();
                    List<ToolCall> calls = traces.stream().flatMap(trace -> trace.toolCalls().stream()).toList();
                    assertEquals(stats.get("user_prompts").longValue(),
                            messages.stream().filter(message -> message.role() == Role.USER && !message.isMeta() && !message.isCompactSummary()).count());
                    assertEquals(countsByName(stats.get("tool_calls_by_name")),
                            calls.stream().collect(groupingBy(ToolCall::name, TreeMap::new, counting())));
                    assertEquals(stats.get("tool_calls").longValue(), calls.size());
                    assertEquals(stats.get("tool_results").longValue(), messages.stream().filter(message -> message.role() == Role.TOOL).count());
                    assertEquals(stats.get("tool_results").longValue(), calls.stream().filter(call -> call.resultOrdinal() != null).count());
                    assertEquals(stats.get("error_tool_results").longValue(), calls.stream().filter(call -> Boolean.TRUE.equals(call.isError())).count());
                    assertTrue(calls.stream().allMatch(call -> call.isError() != null && call.isError() == (call.exitCode() != null && call.exitCode() != 0)));
                }),
                DynamicTest.dynamicTest("tokens and models", () -> {
                    List<TokenUsage> usage = parsed.traces().stream().flatMap(trace -> trace.tokenUsage().stream()).toList();
                    assertEquals(stats.get("model_responses").longValue(), usage.size());
                    JsonNode tokens = stats.get("tokens");
                    if (tokens.isNull()) {
                        assertEquals(List.of(), usage);
                    }
                    else {
                        assertEquals(tokenMap(tokens), sum(usage));
                    }
                    Set<String> models = new TreeSet<>();
                    stats.get("models").forEach(model -> models.add(model.textValue()));
                    assertEquals(models, new TreeSet<>(parsed.traces().stream().flatMap(trace -> trace.models().stream()).toList()));
                    assertTrue(usage.stream().allMatch(row -> row.model() != null && models.contains(row.model())));
                }),
                DynamicTest.dynamicTest("time span and final text", () -> {
                    Trace trace = parsed.traces().isEmpty() ? null : parsed.traces().getFirst();
                    // first_timestamp is the earliest line; a trace starts at its session_meta's own, earlier timestamp
                    assertEquals(ThreadCreation.expectedStartedAt(file, stats.get("first_timestamp")), trace == null ? null : trace.startedAt());
                    assertEquals(instant(stats.get("last_timestamp")), trace == null ? null : trace.endedAt());
                    JsonNode sha = stats.get("final_assistant_text_sha256");
                    String text = trace == null ? null : trace.finalAssistantMessage();
                    if (sha == null) {
                        assertNull(text);
                    }
                    else {
                        assertNotNull(text);
                        assertEquals(stats.get("final_assistant_text_chars").intValue(), text.codePointCount(0, text.length()));
                        assertEquals(sha.textValue(), sha256(text));
                    }
                }));
    }

    private void corpusTotals(JsonNode corpus, Iterable<ParsedFile> files)
    {
        List<Trace> traces = new ArrayList<>();
        files.forEach(file -> traces.addAll(file.traces()));
        List<TokenUsage> usage = traces.stream().flatMap(trace -> trace.tokenUsage().stream()).toList();
        assertEquals(corpus.get("distinct_sessions").intValue(), traces.stream().map(Trace::traceId).distinct().count());
        assertEquals(tokenMap(corpus.get("tokens")), sum(usage));
        assertEquals(corpus.get("totals").get("model_responses").intValue(), usage.size());
        assertEquals(countsByName(corpus.get("totals").get("tool_calls_by_name")),
                traces.stream().flatMap(trace -> trace.toolCalls().stream()).collect(groupingBy(ToolCall::name, TreeMap::new, counting())));

        Map<String, Map<String, Long>> expectedByDay = new TreeMap<>();
        corpus.get("tokens_by_day_utc").properties().forEach(day -> expectedByDay.put(day.getKey(), tokenMap(day.getValue())));
        Map<String, Map<String, Long>> byDay = new TreeMap<>();
        usage.stream()
                .collect(groupingBy(row -> row.createdAt().atZone(ZoneOffset.UTC).toLocalDate().toString()))
                .forEach((day, rows) -> byDay.put(day, sum(rows)));
        assertEquals(expectedByDay, byDay);

        Set<String> models = new TreeSet<>();
        corpus.get("models").forEach(model -> models.add(model.textValue()));
        assertEquals(models, new TreeSet<>(traces.stream().flatMap(trace -> trace.models().stream()).toList()));
    }

    /**
     * Real rollouts have no expected.json: each is checked against a naive reading of its own lines (which lines
     * are not JSON objects, the first session id, tool calls per name, the last cumulative total, the last
     * output_text, the turn_context models) and against the thread creation its first session_meta gives.
     */
    @TestFactory
    Stream<DynamicNode> realRollouts()
            throws IOException
    {
        return SharedFixtures.nodes(this::realRolloutTests);
    }

    private Stream<DynamicTest> realRolloutTests()
            throws IOException
    {
        Path root = SharedFixtures.path("codex");
        List<Path> files;
        try (Stream<Path> paths = Files.walk(root)) {
            files = paths.filter(path -> path.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no real rollouts below " + root);
        return files.stream().map(file -> DynamicTest.dynamicTest(root.relativize(file).toString(), () -> realRollout(file)));
    }

    private void realRollout(Path file)
            throws IOException
    {
        NaiveReading naive = NaiveReading.of(file, mapper);
        ParsedFile parsed = parse(file);
        assertEquals(naive.brokenLines(), parsed.issues().stream().map(ParseIssue::lineNumber).toList(), () -> "issues: " + parsed.issues());
        assertEquals(Files.size(file), parsed.consumedBytes());
        // without a session_meta, the thread id in a name Codex gave, else the file's name (ccusage's fixtures have neither)
        String sessionId = naive.sessionId() != null ? naive.sessionId() : CodexFormat.fileNameThreadId(file);
        assertEquals(1, parsed.traces().size());
        Trace trace = parsed.traces().getFirst();
        assertEquals(sessionId, trace.traceId());
        // the thread's creation; a file without session_meta starts at its earliest line
        assertEquals(naive.sessionId() != null ? ThreadCreation.of(file) : naive.earliestLine(), trace.startedAt());
        assertEquals(naive.toolCallsByName(), trace.toolCalls().stream().collect(groupingBy(ToolCall::name, TreeMap::new, counting())));
        assertTrue(trace.toolCalls().stream().allMatch(call -> call.resultOrdinal() != null), "every call has its output");
        assertEquals(naive.lastTotal(), sum(trace.tokenUsage()));
        assertEquals(naive.finalOutputText(), trace.finalAssistantMessage());
        assertEquals(naive.models(), new LinkedHashSet<>(trace.models()));
    }

    /** An independent, deliberately simple reading of an envelope rollout. */
    private record NaiveReading(
            List<Long> brokenLines,
            String sessionId,
            Map<String, Long> toolCallsByName,
            Map<String, Long> lastTotal,
            String finalOutputText,
            Set<String> models,
            Instant earliestLine)
    {
        static NaiveReading of(Path file, ObjectMapper mapper)
                throws IOException
        {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            String[] rows = content.split("\n", -1);
            List<Long> broken = new ArrayList<>();
            String sessionId = null;
            Map<String, Long> callsByName = new TreeMap<>();
            Set<String> callIds = new HashSet<>();
            JsonNode lastTotal = null;
            String finalText = null;
            Set<String> models = new LinkedHashSet<>();
            Instant earliest = null;
            long number = 0;
            for (int i = 0; i < rows.length; i++) {
                String row = rows[i].strip();
                if (row.isEmpty()) {
                    continue;
                }
                number++;
                JsonNode node;
                try {
                    node = mapper.readTree(row);
                }
                catch (IOException e) {
                    node = null;
                }
                if (node == null || !node.isObject()) {
                    if (i < rows.length - 1) {
                        broken.add(number);
                    }
                    continue;
                }
                if (node.path("timestamp").isTextual()) {
                    Instant at = Instant.parse(node.path("timestamp").textValue());
                    earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
                }
                JsonNode payload = node.path("payload");
                switch (node.path("type").asText()) {
                    case "session_meta" -> sessionId = sessionId == null ? payload.path("id").asText() : sessionId;
                    case "turn_context" -> models.add(payload.path("model").asText());
                    case "event_msg" -> {
                        if (payload.path("info").has("total_token_usage")) {
                            lastTotal = payload.path("info").get("total_token_usage");
                        }
                    }
                    case "response_item" -> {
                        String itemType = payload.path("type").asText();
                        if ((itemType.equals("function_call") || itemType.equals("custom_tool_call")) && callIds.add(payload.path("call_id").asText())) {
                            callsByName.merge(payload.path("name").asText(), 1L, Long::sum);
                        }
                        if (itemType.equals("message") && payload.path("role").asText().equals("assistant")) {
                            for (JsonNode block : payload.path("content")) {
                                if (block.path("type").asText().equals("output_text") && !block.path("text").asText().isEmpty()) {
                                    finalText = block.path("text").asText();
                                }
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            return new NaiveReading(broken, sessionId, callsByName, lastTotal == null ? sum(List.of()) : tokenMap(lastTotal), finalText, models, earliest);
        }
    }

    private ParsedFile parse(Path file)
    {
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Usage rows in expected.json's convention: input includes cached input, total = input + output. */
    private static Map<String, Long> sum(List<TokenUsage> usage)
    {
        Map<String, Long> totals = new TreeMap<>();
        TOKEN_FIELDS.forEach(field -> totals.put(field, 0L));
        for (TokenUsage row : usage) {
            totals.merge("input_tokens", row.inputTokens() + row.cacheReadInputTokens() + row.cacheCreationInputTokens(), Long::sum);
            totals.merge("cached_input_tokens", row.cacheReadInputTokens(), Long::sum);
            totals.merge("output_tokens", row.outputTokens(), Long::sum);
            totals.merge("reasoning_output_tokens", row.reasoningOutputTokens(), Long::sum);
            totals.merge("total_tokens", row.totalTokens(), Long::sum);
        }
        return totals;
    }

    private static Map<String, Long> tokenMap(JsonNode tokens)
    {
        Map<String, Long> map = new TreeMap<>();
        TOKEN_FIELDS.forEach(field -> map.put(field, tokens.path(field).longValue()));
        return map;
    }

    private static Map<String, Long> countsByName(JsonNode counts)
    {
        Map<String, Long> map = new TreeMap<>();
        counts.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().longValue()));
        return map;
    }

    private static String emptyToNull(JsonNode value)
    {
        return value == null || value.isNull() || value.textValue().isEmpty() ? null : value.textValue();
    }

    private static Instant instant(JsonNode value)
    {
        return value == null || value.isNull() ? null : Instant.parse(value.textValue());
    }

    private static String sha256(String text)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
