package dev.tracewh.distill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.jsonl.JsonlReader;
import dev.tracewh.llm.ChatClientOptions;
import dev.tracewh.llm.ChatCompletion;
import dev.tracewh.llm.ChatEndpoint;
import dev.tracewh.llm.ChatModel;
import dev.tracewh.llm.ChatRequest;
import dev.tracewh.llm.OpenAiCompatibleChat;
import dev.tracewh.load.LoadListener;
import dev.tracewh.load.LoadOptions;
import dev.tracewh.load.LoadReport;
import dev.tracewh.load.Loader;
import dev.tracewh.load.SecretsMode;
import dev.tracewh.load.Shard;
import dev.tracewh.load.SourceRoot;
import dev.tracewh.secrets.SecretFilter;
import dev.tracewh.secrets.SecretRules;
import dev.tracewh.secrets.SecretScanner;
import dev.tracewh.testing.ChatCompletionsServer;
import dev.tracewh.testing.ChatCompletionsServer.Response;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.usersql.UserCondition;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.Warehouse;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static dev.tracewh.warehouse.schema.Tables.JUDGE_ANSWERS;
import static dev.tracewh.warehouse.schema.Tables.JUDGE_FAILURES;
import static dev.tracewh.warehouse.schema.Tables.JUDGE_RUNS;
import static dev.tracewh.warehouse.schema.Tables.SCORES;
import static dev.tracewh.warehouse.schema.Tables.V_SFT_CANDIDATES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LLM judges run by {@link LlmJudgeRunner} against a model that answers from the prompt, behind a real chat
 * completions server on the loopback address; every database runs it through a subclass.
 */
abstract class LlmJudgeContract
{
    private static final String FIX = "22222222-0000-4000-8000-000000000001";
    private static final String LOOKUP = "22222222-0000-4000-8000-000000000002";
    private static final String LEAKY = "22222222-0000-4000-8000-000000000003";
    private static final String TOKEN = "ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5";
    private static final String MODEL = "judge-model";
    private static final String BASE_URL = "http://127.0.0.1:9/v1";
    private static final String API_KEY = "sk-" + "loopback-test-key-0123456789abcdef";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path temp;

    private final List<LoopbackModel> models = new ArrayList<>();
    private TestDatabase database;
    private Warehouse warehouse;
    private DSLContext dsl;

    protected abstract TestDatabase.Kind kind();

    @BeforeEach
    void loadTraces()
            throws IOException
    {
        database = TestDatabase.create(kind());
        warehouse = database.open();
        dsl = warehouse.dsl();
        Path projects = temp.resolve("projects");
        ClaudeSession.session(FIX)
                .user("Fix the due-date filter")
                .assistant(null, "Fixed: the filter now keeps tasks due today.")
                .writeTo(projects);
        ClaudeSession.session(LOOKUP)
                .user("How many tasks does the seed script create?")
                .assistant(null, "It creates 12 tasks.")
                .writeTo(projects);
        ClaudeSession.session(LEAKY)
                .user("Push with my token " + TOKEN)
                .assistant(null, "Pushed with " + TOKEN + ".")
                .writeTo(projects);
        // loaded with secrets kept, so only the judge's redaction stands between them and the endpoint
        LoadOptions keepingSecrets = new LoadOptions(false, null, Shard.ALL, false, false, JsonlReader.DEFAULT_MAX_LINE_BYTES, "test",
                SecretsMode.OFF, SecretRules.defaults());
        LoadReport report = new Loader(warehouse, "test")
                .load(List.of(new SourceRoot(new ClaudeCodeFormat(), projects)), keepingSecrets, "test", LoadListener.NONE);
        assertEquals(LoadRunStore.Status.SUCCEEDED, report.status());
    }

    @AfterEach
    void closeWarehouse()
    {
        models.forEach(LoopbackModel::close);
        warehouse.close();
        database.close();
    }

    @Test
    void digestAndQualityRunsTogetherRecommendATrace()
            throws InterruptedException
    {
        LoopbackModel model = new LoopbackModel(LlmJudgeContract::goodAnswer);
        LlmJudgeRunner.Result digest = run(model, "trace-digest", selection(Optional.empty(), false), 1);
        LlmJudgeRunner.Result quality = run(model, "sft-quality", selection(Optional.empty(), false), 1);

        assertEquals(3, digest.judged());
        assertEquals(0, digest.failed());
        assertEquals(3, digest.scoresWritten());
        assertEquals(15, quality.scoresWritten());
        assertEquals(Map.of(FIX, true, LOOKUP, false, LEAKY, false),
                dsl.select(V_SFT_CANDIDATES.TRACE_ID, V_SFT_CANDIDATES.RECOMMENDED_FOR_SFT).from(V_SFT_CANDIDATES)
                        .fetchMap(V_SFT_CANDIDATES.TRACE_ID, V_SFT_CANDIDATES.RECOMMENDED_FOR_SFT));
        Record fix = dsl.selectFrom(V_SFT_CANDIDATES).where(V_SFT_CANDIDATES.TRACE_ID.eq(FIX)).fetchSingle();
        assertEquals("high", fix.get(V_SFT_CANDIDATES.TRAINING_VALUE));
        assertEquals(4.0, fix.get(V_SFT_CANDIDATES.GROUNDEDNESS));
        assertEquals(quality.judgeRunId(), fix.get(V_SFT_CANDIDATES.JUDGE_RUN_ID));

        // stored where `scores import` puts Data Designer's output: a label with quality_notes, values with their reasoning
        Record trainingValue = score(digest.judgeRunId(), FIX, "training_value");
        assertEquals("high", trainingValue.get(SCORES.LABEL));
        assertEquals("notes on " + FIX, trainingValue.get(SCORES.EXPLANATION));
        Record faithfulness = score(quality.judgeRunId(), FIX, "faithfulness");
        assertEquals(4.0, faithfulness.get(SCORES.VALUE));
        assertEquals("faithfulness holds", faithfulness.get(SCORES.EXPLANATION));
        // the digest's free text is kept with the answer
        assertEquals("Fix the due-date filter", dsl.select(JUDGE_ANSWERS.ANSWER).from(JUDGE_ANSWERS)
                .where(JUDGE_ANSWERS.JUDGE_RUN_ID.eq(digest.judgeRunId()), JUDGE_ANSWERS.TRACE_ID.eq(FIX))
                .fetchOptional(JUDGE_ANSWERS.ANSWER).map(LlmJudgeContract::json).orElseThrow().get("user_goal").asText());

        Record run = dsl.selectFrom(JUDGE_RUNS).where(JUDGE_RUNS.JUDGE_RUN_ID.eq(digest.judgeRunId())).fetchSingle();
        assertEquals("llm", run.get(JUDGE_RUNS.KIND));
        assertEquals("trace-digest", run.get(JUDGE_RUNS.NAME));
        assertEquals(MODEL, run.get(JUDGE_RUNS.MODEL));
        assertEquals("reported/" + MODEL, run.get(JUDGE_RUNS.REPORTED_MODEL));
        assertEquals(BASE_URL, run.get(JUDGE_RUNS.BASE_URL));
        assertEquals(LlmJudge.builtIn("trace-digest").orElseThrow().promptSha256(), run.get(JUDGE_RUNS.PROMPT_SHA256));
        assertEquals(3 * 100L, run.get(JUDGE_RUNS.PROMPT_TOKENS));
        assertEquals(3 * 10L, run.get(JUDGE_RUNS.COMPLETION_TOKENS));
        assertEquals(3, run.get(JUDGE_RUNS.TRACES_JUDGED));
        assertEquals(0, run.get(JUDGE_RUNS.TRACES_FAILED));
        assertEquals(3, run.get(JUDGE_RUNS.ROW_COUNT));
        assertEquals(300L, digest.promptTokens());
        assertEquals(Optional.of("reported/" + MODEL), digest.reportedModel());
    }

    @Test
    void anAnswerFailingTheSchemaIsAskedAgainOnceThenTheTraceFails()
            throws InterruptedException
    {
        // LOOKUP never answers right; FIX answers right the second time
        LoopbackModel model = new LoopbackModel(request -> {
            if (prompt(request).contains("seed script")) {
                return "{\"user_goal\": \"count\"}";
            }
            return request.messages().size() == 2 ? "not json" : goodAnswer(request);
        });
        LlmJudgeRunner.Result result = run(model, "trace-digest", selection(Optional.of("trace_id <> '" + LEAKY + "'"), false), 1);

        assertEquals(1, result.judged());
        assertEquals(1, result.failed());
        assertEquals(4, model.requests().size());
        List<ChatRequest> lookups = model.requests().stream().filter(request -> prompt(request).contains("seed script")).toList();
        assertEquals(2, lookups.size());
        ChatRequest retry = lookups.get(1);
        assertEquals(List.of("system", "user", "assistant", "user"), retry.messages().stream().map(ChatRequest.ChatMessage::role).toList());
        assertTrue(retry.messages().get(3).content().contains("$: required property 'training_value' not found"), retry.messages().get(3).content());

        Record failure = dsl.selectFrom(JUDGE_FAILURES).fetchSingle();
        assertEquals(LOOKUP, failure.get(JUDGE_FAILURES.TRACE_ID));
        assertEquals(2, failure.get(JUDGE_FAILURES.ATTEMPTS));
        assertTrue(failure.get(JUDGE_FAILURES.REASON).startsWith("the answer failed the schema twice: $: required property"),
                failure.get(JUDGE_FAILURES.REASON));
        assertEquals(List.of(LOOKUP), result.failures().stream().map(LlmJudgeRunner.TraceFailure::traceId).toList());
        assertEquals(2, dsl.select(JUDGE_ANSWERS.ATTEMPTS).from(JUDGE_ANSWERS).where(JUDGE_ANSWERS.TRACE_ID.eq(FIX)).fetchSingle(JUDGE_ANSWERS.ATTEMPTS));
        assertEquals(List.of(), scoresOf(result.judgeRunId(), LOOKUP));
        Record run = dsl.selectFrom(JUDGE_RUNS).fetchSingle();
        assertEquals(1, run.get(JUDGE_RUNS.TRACES_JUDGED));
        assertEquals(1, run.get(JUDGE_RUNS.TRACES_FAILED));
        assertEquals(400L, run.get(JUDGE_RUNS.PROMPT_TOKENS));
    }

    @Test
    void anEndpointFailureFailsTheTraceWithItsReason()
            throws InterruptedException
    {
        ChatModel refusing = request -> {
            throw new ChatModel.ChatException("HTTP 401 from the endpoint: invalid key");
        };
        LlmJudgeRunner.Result result = new LlmJudgeRunner(dsl, MAPPER, redacting(), refusing)
                .run(LlmJudge.builtIn("sft-quality").orElseThrow(), selection(Optional.empty(), false), 1, LlmJudgeRunner.Listener.NONE);
        assertEquals(3, result.failed());
        assertEquals(List.of("the endpoint failed: HTTP 401 from the endpoint: invalid key"),
                dsl.selectDistinct(JUDGE_FAILURES.REASON).from(JUDGE_FAILURES).fetch(JUDGE_FAILURES.REASON));
    }

    @Test
    void aRerunJudgesOnlyTheTracesLeftAndRescoreJudgesThemAll()
            throws InterruptedException
    {
        LoopbackModel model = new LoopbackModel(LlmJudgeContract::goodAnswer);
        LlmJudgeRunner.Selection firstOne = new LlmJudgeRunner.Selection(Optional.empty(), OptionalLong.of(1), MODEL, BASE_URL, false);
        LlmJudgeRunner.Result partial = run(model, "trace-digest", firstOne, 1);
        assertEquals(1, partial.judged());
        assertEquals(0, partial.skipped());

        LlmJudgeRunner.Result rest = run(model, "trace-digest", selection(Optional.empty(), false), 1);
        assertEquals(2, rest.judged());
        assertEquals(1, rest.skipped());
        assertEquals(3, model.requests().size());
        assertEquals(List.of(FIX), dsl.select(SCORES.TRACE_ID).from(SCORES).where(SCORES.JUDGE_RUN_ID.eq(partial.judgeRunId())).fetch(SCORES.TRACE_ID));

        LlmJudgeRunner.Result nothingLeft = run(model, "trace-digest", selection(Optional.empty(), false), 1);
        assertEquals(0, nothingLeft.judged());
        assertEquals(3, nothingLeft.skipped());
        assertEquals(3, model.requests().size());

        // another model has scored nothing yet
        LlmJudgeRunner.Selection otherModel = new LlmJudgeRunner.Selection(Optional.empty(), OptionalLong.empty(), "other-model", BASE_URL, false);
        assertEquals(3, run(model, "trace-digest", otherModel, 1).judged());

        LlmJudgeRunner.Result rescored = run(model, "trace-digest", selection(Optional.empty(), true), 1);
        assertEquals(3, rescored.judged());
        assertEquals(0, rescored.skipped());
    }

    @Test
    void anInterruptedRunKeepsWhatItScoredAndARerunJudgesTheRest()
            throws InterruptedException
    {
        CountDownLatch firstStored = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        ChatModel hanging = request -> {
            if (prompt(request).contains("seed script")) {
                never.await();
            }
            return new ChatCompletion(goodAnswer(request), "reported", 1, 1);
        };
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread running = new Thread(() -> {
            try {
                new LlmJudgeRunner(dsl, MAPPER, redacting(), hanging).run(LlmJudge.builtIn("trace-digest").orElseThrow(),
                        selection(Optional.empty(), false), 1, new LlmJudgeRunner.Listener()
                        {
                            @Override
                            public void traceDone(boolean judged, long promptTokens, long completionTokens)
                            {
                                firstStored.countDown();
                            }
                        });
            }
            catch (Throwable e) {
                thrown.set(e);
            }
        });
        running.start();
        assertTrue(firstStored.await(30, TimeUnit.SECONDS));
        running.interrupt();
        running.join(30_000);
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));

        Record run = dsl.selectFrom(JUDGE_RUNS).fetchSingle();
        assertEquals(1, run.get(JUDGE_RUNS.TRACES_JUDGED));
        assertEquals(List.of(FIX), dsl.selectDistinct(SCORES.TRACE_ID).from(SCORES).fetch(SCORES.TRACE_ID));
        LoopbackModel model = new LoopbackModel(LlmJudgeContract::goodAnswer);
        LlmJudgeRunner.Result rest = run(model, "trace-digest", selection(Optional.empty(), false), 1);
        assertEquals(2, rest.judged());
        assertEquals(1, rest.skipped());
    }

    @Test
    void fourInParallelScoreAsOneAtATime()
            throws InterruptedException
    {
        LoopbackModel model = new LoopbackModel(LlmJudgeContract::goodAnswer);
        long sequential = run(model, "sft-quality", selection(Optional.empty(), true), 1).judgeRunId();
        LlmJudgeRunner.Result parallel = run(model, "sft-quality", selection(Optional.empty(), true), 4);
        assertEquals(3, parallel.judged());
        assertEquals(storedScores(sequential), storedScores(parallel.judgeRunId()));
        assertEquals(15, storedScores(sequential).size());
    }

    @Test
    void aSecretInATraceNeverReachesTheModel()
            throws InterruptedException
    {
        assertTrue(dsl.fetchExists(dsl.selectOne().from("messages").where("text_content like '%" + TOKEN + "%'")), "the trace holds the token");
        LoopbackModel model = new LoopbackModel(LlmJudgeContract::goodAnswer);
        run(model, "trace-digest", selection(Optional.of("trace_id = '" + LEAKY + "'"), false), 1);
        String sent = model.requests().getFirst().messages().stream().map(ChatRequest.ChatMessage::content).reduce("", String::concat);
        assertFalse(sent.contains(TOKEN));
        assertTrue(sent.contains("[REDACTED:github-pat]"), sent);
        assertTrue(sent.contains("Push with my token"), sent);
    }

    @Test
    void aRubricValueOutsideItsRangeIsRefused()
            throws IOException, InterruptedException
    {
        // a user's judge whose schema leaves the range to the rubric
        Files.writeString(temp.resolve("wide.prompt.md"), "Judge {{final_assistant_message}}");
        Files.writeString(temp.resolve("wide.schema.json"), """
                {"description": "groundedness only", "type": "object",
                 "properties": {"groundedness": {"type": "object", "properties": {"score": {"type": "number"}, "reasoning": {"type": "string"}}}},
                 "required": ["groundedness"]}""");
        LlmJudge wide = LlmJudge.fromFile(temp.resolve("wide.prompt.md"));
        LoopbackModel model = new LoopbackModel(request -> "{\"groundedness\": {\"score\": 5, \"reasoning\": \"very\"}}");
        LlmJudgeRunner.Result result = new LlmJudgeRunner(dsl, MAPPER, redacting(), model)
                .run(wide, selection(Optional.of("trace_id = '" + FIX + "'"), false), 1, LlmJudgeRunner.Listener.NONE);
        assertEquals(1, result.failed());
        assertEquals(2, model.requests().size());
        assertEquals("the answer failed the schema twice: groundedness value 5 is outside 0..4", result.failures().getFirst().reason());
        assertEquals(0, dsl.fetchCount(SCORES));
        assertEquals("wide", wide.name());
        assertEquals("groundedness only", wide.description());
    }

    @Test
    void aDryRunSendsNothingAndStoresNothing()
    {
        LoopbackModel model = new LoopbackModel(LlmJudgeContract::goodAnswer);
        LlmJudgeRunner.DryRun dryRun = new LlmJudgeRunner(dsl, MAPPER, redacting(), model)
                .dryRun(LlmJudge.builtIn("trace-digest").orElseThrow(), selection(Optional.of("message_count >= 2"), false));
        assertEquals(3, dryRun.traces());
        String prompt = dryRun.firstPrompt().orElseThrow();
        assertTrue(prompt.contains("Fix the due-date filter"), prompt);
        assertTrue(prompt.contains("Fixed: the filter now keeps tasks due today."), prompt);
        assertFalse(prompt.contains("{{"), prompt);
        assertEquals(List.of(), model.requests());
        assertEquals(0, dsl.fetchCount(JUDGE_RUNS));
    }

    @Test
    void aPromptNamingAnUnknownColumnIsRefusedBeforeAnythingIsSent()
            throws IOException
    {
        Files.writeString(temp.resolve("typo.prompt.md"), "Judge {{final_answer}}");
        Files.writeString(temp.resolve("typo.schema.json"), "{\"type\": \"object\"}");
        LoopbackModel model = new LoopbackModel(LlmJudgeContract::goodAnswer);
        LlmJudge typo = LlmJudge.fromFile(temp.resolve("typo.prompt.md"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new LlmJudgeRunner(dsl, MAPPER, redacting(), model).run(typo, selection(Optional.empty(), false), 1, LlmJudgeRunner.Listener.NONE));
        assertTrue(refused.getMessage().contains("final_answer"), refused.getMessage());
        assertEquals(List.of(), model.requests());
    }

    @Test
    void a429WithRetryAfterA500AndATimeoutAreRetriedAndEveryTraceIsJudged()
            throws InterruptedException
    {
        AtomicInteger requests = new AtomicInteger();
        try (ChatCompletionsServer server = ChatCompletionsServer.start(received -> switch (requests.getAndIncrement()) {
            case 0 -> Response.error(429, "slow down").withHeader("Retry-After", "1");
            case 1 -> Response.error(500, "upstream failed");
            case 2 -> Response.completion(goodAnswer(LoopbackModel.chatRequest(received.json())), 100, 10).delayedBy(Duration.ofMinutes(1));
            default -> Response.completion(goodAnswer(LoopbackModel.chatRequest(received.json())), 100, 10);
        });
                OpenAiCompatibleChat client = new OpenAiCompatibleChat(new ChatEndpoint(server.baseUrl(), MODEL, API_KEY),
                        ChatClientOptions.defaults().withRequestTimeout(Duration.ofSeconds(3)).withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)))) {
            LlmJudgeRunner.Result result = new LlmJudgeRunner(dsl, MAPPER, redacting(), client)
                    .run(LlmJudge.builtIn("trace-digest").orElseThrow(), selection(Optional.empty(), false), 1, LlmJudgeRunner.Listener.NONE);

            assertEquals(List.of(3L, 0L), List.of(result.judged(), result.failed()));
            assertEquals(6, server.requestCount(), "the 429, the 500 and the timed-out request were each sent again");
            assertTrue(server.requests().stream().allMatch(request -> ("Bearer " + API_KEY).equals(request.header("authorization"))));
        }
    }

    @Test
    void theApiKeyIsInNoTable()
            throws InterruptedException
    {
        LoopbackModel model = new LoopbackModel(request -> prompt(request).contains("seed script") ? "{}" : goodAnswer(request));
        run(model, "trace-digest", selection(Optional.empty(), false), 2);

        for (String table : List.of("judge_runs", "judge_answers", "judge_failures", "scores")) {
            for (Record row : dsl.fetch("select * from " + table)) {
                assertFalse(Arrays.toString(row.intoArray()).contains(API_KEY), table + ": " + row);
            }
        }
        assertEquals(1, dsl.fetchCount(JUDGE_FAILURES), "the empty answer's trace failed and its reason is stored");
    }

    /** With eight requests in flight, each trace is sent once and judged once; the rate reached is printed, not asserted. */
    @Test
    void eightRequestsInFlightJudgeEveryTraceOnce()
            throws IOException, InterruptedException
    {
        Path projects = temp.resolve("many");
        int traces = 300;
        for (int i = 0; i < traces; i++) {
            ClaudeSession.session("33333333-0000-4000-8000-%012d".formatted(i)).user("Fix the due-date filter, case " + i)
                    .assistant(null, "Fixed case " + i + ".").writeTo(projects);
        }
        new Loader(warehouse, "test").load(List.of(new SourceRoot(new ClaudeCodeFormat(), projects)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        LoopbackModel model = new LoopbackModel(LlmJudgeContract::goodAnswer);

        long started = System.nanoTime();
        LlmJudgeRunner.Result result = run(model, "sft-quality", selection(Optional.of("trace_id like '33333333-%'"), false), 8);
        double seconds = (System.nanoTime() - started) / 1e9;

        System.out.printf("%s: judge llm --parallel 8 against the loopback server: %d traces in %.2f s, %.0f traces/s%n", kind(), traces, seconds,
                traces / seconds);
        assertEquals(List.of((long) traces, 0L), List.of(result.judged(), result.failed()));
        assertEquals(traces, model.requests().size());
        assertEquals(traces, dsl.fetchCount(JUDGE_ANSWERS, JUDGE_ANSWERS.JUDGE_RUN_ID.eq(result.judgeRunId())));
    }

    private LlmJudgeRunner.Result run(LoopbackModel model, String judge, LlmJudgeRunner.Selection selection, int parallel)
            throws InterruptedException
    {
        return new LlmJudgeRunner(dsl, MAPPER, redacting(), model)
                .run(LlmJudge.builtIn(judge).orElseThrow(), selection, parallel, LlmJudgeRunner.Listener.NONE);
    }

    private LlmJudgeRunner.Selection selection(Optional<String> where, boolean rescore)
    {
        return new LlmJudgeRunner.Selection(where.map(text -> UserCondition.parse(text, dsl.dialect())), OptionalLong.empty(), MODEL, BASE_URL, rescore);
    }

    private static SecretFilter redacting()
    {
        return SecretFilter.redacting(SecretScanner.of(SecretRules.defaults()));
    }

    private Record score(long judgeRunId, String traceId, String name)
    {
        return dsl.selectFrom(SCORES).where(SCORES.JUDGE_RUN_ID.eq(judgeRunId), SCORES.TRACE_ID.eq(traceId), SCORES.NAME.eq(name)).fetchSingle();
    }

    private List<String> scoresOf(long judgeRunId, String traceId)
    {
        return dsl.select(SCORES.NAME).from(SCORES).where(SCORES.JUDGE_RUN_ID.eq(judgeRunId), SCORES.TRACE_ID.eq(traceId)).fetch(SCORES.NAME);
    }

    /** trace/name → value, label and explanation of one run. */
    private Map<String, List<Object>> storedScores(long judgeRunId)
    {
        return dsl.selectFrom(SCORES).where(SCORES.JUDGE_RUN_ID.eq(judgeRunId)).fetchMap(
                row -> row.getTraceId() + "/" + row.getName(),
                row -> Arrays.asList(row.getValue(), row.getLabel(), row.getExplanation()));
    }

    private static String prompt(ChatRequest request)
    {
        return request.messages().get(1).content();
    }

    private static JsonNode json(String text)
    {
        try {
            return MAPPER.readTree(text);
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * What a sensible judge says: the fix is worth high and the lookup medium, all rubrics 4 (the scores differ by
     * trace so that mixing traces up shows).
     */
    private static String goodAnswer(ChatRequest request)
    {
        String prompt = prompt(request);
        String traceId = prompt.contains("due-date") ? FIX : prompt.contains("seed script") ? LOOKUP : LEAKY;
        if (request.schemaName().equals("trace-digest")) {
            String goal = traceId.equals(FIX) ? "Fix the due-date filter" : "Other";
            String value = traceId.equals(FIX) ? "high" : traceId.equals(LOOKUP) ? "medium" : "low";
            return """
                    {"user_goal": "%s", "repository_context": "a task app", "task_type": "bug_fix", "notable_actions": ["read", "edit"],
                     "useful_outcome": "done", "training_value": "%s", "quality_notes": "notes on %s"}""".formatted(goal, value, traceId);
        }
        int faithfulness = traceId.equals(LOOKUP) ? 3 : 4;
        return """
                {"groundedness": {"reasoning": "grounded", "score": 4}, "standalone_task": {"reasoning": "clear", "score": 4},
                 "response_quality": {"reasoning": "good", "score": 4}, "faithfulness": {"reasoning": "faithfulness holds", "score": %d},
                 "training_utility": {"reasoning": "useful", "score": 4}}""".formatted(faithfulness);
    }

    /**
     * A model behind a real chat completions server on the loopback address, reached through the HTTP client that
     * {@code judge llm} uses (with an API key): it answers with {@code answers} and keeps every request it got, as
     * the server received it.
     */
    private final class LoopbackModel
            implements ChatModel
    {
        private final ChatCompletionsServer server;
        private final OpenAiCompatibleChat client;
        private final List<ChatRequest> requests = new ArrayList<>();

        LoopbackModel(Function<ChatRequest, String> answers)
        {
            this(answers, ChatClientOptions.defaults());
        }

        LoopbackModel(Function<ChatRequest, String> answers, ChatClientOptions options)
        {
            server = ChatCompletionsServer.start(received -> {
                ChatRequest request = chatRequest(received.json());
                synchronized (requests) {
                    requests.add(request);
                }
                return Response.completion(answers.apply(request), "reported/" + request.model(), 100, 10);
            });
            client = new OpenAiCompatibleChat(new ChatEndpoint(server.baseUrl(), MODEL, API_KEY), options);
            models.add(this);
        }

        @Override
        public ChatCompletion complete(ChatRequest request)
                throws ChatException, InterruptedException
        {
            return client.complete(request);
        }

        List<ChatRequest> requests()
        {
            synchronized (requests) {
                return List.copyOf(requests);
            }
        }

        @Override
        public void close()
        {
            client.close();
            server.close();
        }

        static ChatRequest chatRequest(JsonNode body)
        {
            List<ChatRequest.ChatMessage> messages = new ArrayList<>();
            body.path("messages").forEach(message -> messages.add(new ChatRequest.ChatMessage(message.path("role").asText(), message.path("content").asText())));
            JsonNode schema = body.path("response_format").path("json_schema");
            return new ChatRequest(body.path("model").asText(), messages, schema.isMissingNode() ? null : schema.path("name").asText(),
                    schema.isMissingNode() ? null : schema.path("schema"));
        }
    }
}
