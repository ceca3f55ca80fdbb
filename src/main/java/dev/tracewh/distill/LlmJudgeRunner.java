package dev.tracewh.distill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.llm.ChatCompletion;
import dev.tracewh.llm.ChatModel;
import dev.tracewh.llm.ChatRequest;
import dev.tracewh.llm.ChatRequest.ChatMessage;
import dev.tracewh.secrets.SecretFilter;
import dev.tracewh.usersql.UserCondition;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSON;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static dev.tracewh.warehouse.schema.Tables.JUDGE_ANSWERS;
import static dev.tracewh.warehouse.schema.Tables.JUDGE_FAILURES;
import static dev.tracewh.warehouse.schema.Tables.JUDGE_RUNS;
import static dev.tracewh.warehouse.schema.Tables.V_TRACE_DIGEST_INPUT;
import static java.util.Objects.requireNonNull;

/**
 * Runs an {@link LlmJudge} over the traces of {@code v_trace_digest_input}: renders its prompt from each trace's row
 * (redacted by the {@link SecretFilter} as an export is), asks the model, checks the answer against the judge's schema
 * and the rubrics of {@code score_configs} (asking once more with the problems when it fails), and stores it as a judge
 * run of kind llm. Each trace is committed on its own (its scores, its answer or its failure, and the run's counters),
 * so a run stopped half-way keeps what it scored and a rerun judges only the rest.
 * <p>
 * Up to {@code parallel} requests are in flight on worker threads; the calling thread alone reads and writes the
 * warehouse (it has one connection) and uses the secret filter (not thread-safe), so an interrupt stops requests and
 * never a write.
 */
public final class LlmJudgeRunner
{
    /** The columns of {@code v_trace_digest_input} that hold JSON text, redacted as JSON so they stay JSON. */
    private static final Set<String> JSON_COLUMNS = Set.of("source_meta", "opening_messages", "closing_messages");

    private final DSLContext dsl;
    private final ObjectMapper mapper;
    private final SecretFilter secrets;
    private final ChatModel model;

    public LlmJudgeRunner(DSLContext dsl, ObjectMapper mapper, SecretFilter secrets, ChatModel model)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.model = requireNonNull(model, "model is null");
    }

    /** Which traces to judge and with what: {@code model} is the model asked; {@code baseUrl} is recorded with the run. */
    public record Selection(Optional<UserCondition> where, OptionalLong limit, String model, String baseUrl, boolean rescore)
    {
        public Selection
        {
            requireNonNull(where, "where is null");
            requireNonNull(limit, "limit is null");
            requireNonNull(model, "model is null");
            requireNonNull(baseUrl, "baseUrl is null");
        }
    }

    /** What a dry run would do: the first prompt it would send (empty when no trace is selected) and how many traces. */
    public record DryRun(Optional<String> firstPrompt, long traces, long skipped) {}

    /** A trace the run could not score, and why. */
    public record TraceFailure(String traceId, String reason) {}

    /** What a run did: traces judged, failed and skipped (scored before by this judge and model), scores, tokens. */
    public record Result(long judgeRunId, String judgeName, long judged, long failed, long skipped, long scoresWritten,
            long promptTokens, long completionTokens, Optional<String> reportedModel, List<TraceFailure> failures)
    {
        public Result
        {
            requireNonNull(judgeName, "judgeName is null");
            requireNonNull(reportedModel, "reportedModel is null");
            failures = List.copyOf(failures);
        }
    }

    /** Told of the run's progress, from the calling thread. */
    public interface Listener
    {
        Listener NONE = new Listener() {};

        default void started(long traces) {}

        default void traceDone(boolean judged, long promptTokens, long completionTokens) {}
    }

    public DryRun dryRun(LlmJudge judge, Selection selection)
    {
        checkPlaceholders(judge);
        Selected selected = select(judge, selection);
        Optional<String> first = selected.traceIds().isEmpty() ? Optional.empty() : Optional.of(render(judge, selected.traceIds().getFirst()));
        return new DryRun(first, selected.traceIds().size(), selected.skipped());
    }

    public Result run(LlmJudge judge, Selection selection, int parallel, Listener listener)
            throws InterruptedException
    {
        requireNonNull(listener, "listener is null");
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, found " + parallel);
        }
        checkPlaceholders(judge);
        Map<String, ScoreConfig> configs = ScoreConfig.loadAll(dsl, mapper);
        Selected selected = select(judge, selection);
        ObjectNode parameters = mapper.createObjectNode().put("source", judge.source()).put("rescore", selection.rescore());
        selection.where().ifPresent(where -> parameters.put("where", where.text()));
        selection.limit().ifPresent(limit -> parameters.put("limit", limit));
        long judgeRunId = JudgeRuns.startLlm(dsl, judge.name(), judge.promptSha256(), selection.model(), selection.baseUrl(),
                parameters.toString(), OffsetDateTime.now(ZoneOffset.UTC));
        listener.started(selected.traceIds().size());

        Asking asking = Asking.of(judge, selection.model());
        Tally tally = new Tally();
        ExecutorService workers = Executors.newFixedThreadPool(parallel);
        CompletionService<Outcome> answered = new ExecutorCompletionService<>(workers);
        Iterator<String> next = selected.traceIds().iterator();
        int inFlight = 0;
        try {
            while (next.hasNext() || inFlight > 0) {
                while (inFlight < parallel && next.hasNext()) {
                    String traceId = next.next();
                    String prompt = render(judge, traceId);
                    answered.submit(() -> judge(judge, asking, configs, traceId, prompt));
                    inFlight++;
                }
                Outcome outcome = outcome(answered.take());
                inFlight--;
                store(judgeRunId, configs, outcome, tally);
                listener.traceDone(outcome.failure() == null, outcome.promptTokens(), outcome.completionTokens());
            }
        }
        finally {
            // only requests are interrupted: the warehouse is used by this thread alone
            workers.shutdownNow();
        }
        return new Result(judgeRunId, judge.name(), tally.judged, tally.failed, selected.skipped(), tally.scores,
                tally.promptTokens, tally.completionTokens, Optional.ofNullable(tally.reportedModel),
                tally.failures.stream().sorted(Comparator.comparing(TraceFailure::traceId)).toList());
    }

    private static Outcome outcome(Future<Outcome> done)
            throws InterruptedException
    {
        try {
            return done.get();
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("judging a trace failed: " + e.getCause(), e.getCause());
        }
    }

    private record Selected(List<String> traceIds, long skipped) {}

    /** The traces the condition selects, in trace_id order, less those this judge and model answered before (unless rescoring). */
    private Selected select(LlmJudge judge, Selection selection)
    {
        Condition condition = selection.where().map(UserCondition::condition).orElse(DSL.noCondition());
        List<String> matching = dsl.select(V_TRACE_DIGEST_INPUT.TRACE_ID).from(V_TRACE_DIGEST_INPUT).where(condition)
                .orderBy(V_TRACE_DIGEST_INPUT.TRACE_ID).fetch(V_TRACE_DIGEST_INPUT.TRACE_ID);
        Set<String> answered = selection.rescore() ? Set.of() : dsl.selectDistinct(JUDGE_ANSWERS.TRACE_ID)
                .from(JUDGE_ANSWERS)
                .join(JUDGE_RUNS).on(JUDGE_RUNS.JUDGE_RUN_ID.eq(JUDGE_ANSWERS.JUDGE_RUN_ID))
                .where(JUDGE_RUNS.KIND.eq(JudgeRuns.KIND_LLM), JUDGE_RUNS.NAME.eq(judge.name()), JUDGE_RUNS.MODEL.eq(selection.model()))
                .fetchSet(JUDGE_ANSWERS.TRACE_ID);
        List<String> toJudge = matching.stream().filter(traceId -> !answered.contains(traceId)).toList();
        long skipped = matching.size() - toJudge.size();
        if (selection.limit().isPresent() && toJudge.size() > selection.limit().getAsLong()) {
            toJudge = toJudge.subList(0, (int) selection.limit().getAsLong());
        }
        return new Selected(toJudge, skipped);
    }

    private void checkPlaceholders(LlmJudge judge)
    {
        Set<String> columns = Arrays.stream(V_TRACE_DIGEST_INPUT.fields()).map(Field::getName).collect(Collectors.toSet());
        List<String> unknown = judge.placeholders().stream().filter(name -> !columns.contains(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("the prompt of judge %s names %s, which v_trace_digest_input does not have; its columns: %s".formatted(
                    judge.name(), String.join(", ", unknown),
                    Arrays.stream(V_TRACE_DIGEST_INPUT.fields()).map(Field::getName).collect(Collectors.joining(", "))));
        }
    }

    /** The judge's prompt for one trace, every column it uses redacted. */
    private String render(LlmJudge judge, String traceId)
    {
        Record row = dsl.selectFrom(V_TRACE_DIGEST_INPUT).where(V_TRACE_DIGEST_INPUT.TRACE_ID.eq(traceId)).fetchSingle();
        Map<String, String> columns = new HashMap<>();
        for (String name : judge.placeholders()) {
            Object value = row.get(name);
            String text = switch (value) {
                case null -> null;
                case JSONB json -> json.data();
                case JSON json -> json.data();
                default -> value.toString();
            };
            columns.put(name, JSON_COLUMNS.contains(name) ? secrets.json(text) : secrets.text(text));
        }
        return judge.render(columns);
    }

    /** One trace's answer (as scores to store) or why there is none, and the tokens the attempts took. */
    private record Outcome(String traceId, JsonNode answer, List<ScoreRow> scores, String failure, int attempts,
            long promptTokens, long completionTokens, String reportedModel) {}

    /** What every request of a run shares: the model, the instructions and the answer schema as the endpoint is sent them. */
    private record Asking(String model, String instructions, String schemaName, JsonNode schema)
    {
        static Asking of(LlmJudge judge, String model)
        {
            JsonNode schema = judge.schema().forEndpoint();
            return new Asking(model, "Answer with one JSON object and nothing else, following this JSON schema:\n" + schema.toPrettyString(),
                    judge.name().replaceAll("[^A-Za-z0-9_-]", "_"), schema);
        }

        ChatRequest request(List<ChatMessage> messages)
        {
            return new ChatRequest(model, messages, schemaName, schema);
        }
    }

    private Outcome judge(LlmJudge judge, Asking asking, Map<String, ScoreConfig> configs, String traceId, String prompt)
            throws InterruptedException
    {
        List<ChatMessage> messages = new ArrayList<>(List.of(
                new ChatMessage("system", asking.instructions()),
                new ChatMessage("user", prompt)));
        long promptTokens = 0;
        long completionTokens = 0;
        String reportedModel = null;
        List<String> problems = List.of();
        for (int attempt = 1; attempt <= 2; attempt++) {
            ChatCompletion completion;
            try {
                completion = model.complete(asking.request(messages));
            }
            catch (ChatModel.ChatException e) {
                return new Outcome(traceId, null, List.of(), "the endpoint failed: " + e.getMessage(), attempt, promptTokens, completionTokens, reportedModel);
            }
            promptTokens += completion.promptTokens();
            completionTokens += completion.completionTokens();
            reportedModel = completion.reportedModel() == null ? reportedModel : completion.reportedModel();
            JsonNode answer;
            try {
                answer = mapper.readTree(withoutCodeFence(completion.content()));
            }
            catch (JsonProcessingException e) {
                answer = null;
                problems = List.of("the answer is not JSON: " + e.getOriginalMessage());
            }
            if (answer != null) {
                problems = judge.schema().problems(answer);
                List<ScoreRow> scores = new ArrayList<>();
                if (problems.isEmpty()) {
                    problems = scores(judge, configs, traceId, answer, scores);
                }
                if (problems.isEmpty()) {
                    return new Outcome(traceId, answer, scores, null, attempt, promptTokens, completionTokens, reportedModel);
                }
            }
            messages.add(new ChatMessage("assistant", completion.content()));
            messages.add(new ChatMessage("user", "Your answer does not follow the schema:\n- " + String.join("\n- ", problems)
                    + "\nAnswer again with only the corrected JSON object."));
        }
        return new Outcome(traceId, null, List.of(), "the answer failed the schema twice: " + String.join("; ", problems), 2,
                promptTokens, completionTokens, reportedModel);
    }

    /**
     * The scores an answer gives: a property named after a rubric of {@code score_configs} is a score (a number or
     * boolean its value, a string its label, an object its {@code score} with its {@code reasoning} as explanation, as
     * {@code scores import} reads Data Designer's output); {@code x-tracewh-explanation} names the property that explains
     * it. Returns what does not fit the rubrics.
     */
    private List<String> scores(LlmJudge judge, Map<String, ScoreConfig> configs, String traceId, JsonNode answer, List<ScoreRow> scores)
    {
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = answer.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            ScoreConfig config = configs.get(field.getKey());
            if (config == null) {
                continue;
            }
            JsonNode value = field.getValue();
            String explanation = judge.schema().explanationOf(field.getKey()).map(explaining -> text(answer.get(explaining))).orElse(null);
            Object number = null;
            String label = null;
            if (value.isObject()) {
                number = scalar(value.get("score"));
                explanation = text(value.get("reasoning"));
            }
            else if (value.isTextual()) {
                label = value.asText();
            }
            else {
                number = scalar(value);
            }
            try {
                ScoreRow row = ScoreRows.of(scores.size() + 1, traceId, null, null, field.getKey(), number, label, explanation);
                Optional<String> problem = config.problem(row.value(), row.label());
                if (problem.isPresent()) {
                    problems.add(problem.get());
                }
                else {
                    scores.add(row);
                }
            }
            catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    private static Object scalar(JsonNode node)
    {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.isNumber() ? node.numberValue() : node.asText();
    }

    private static String text(JsonNode node)
    {
        return node == null || node.isNull() ? null : node.isTextual() ? node.asText() : node.toString();
    }

    /** Models often wrap JSON in a Markdown code fence even when asked not to. */
    private static String withoutCodeFence(String content)
    {
        String text = content.strip();
        if (text.startsWith("```") && text.endsWith("```") && text.length() >= 6) {
            int firstLine = text.indexOf('\n');
            return firstLine < 0 ? text : text.substring(firstLine + 1, text.length() - 3).strip();
        }
        return text;
    }

    private static final class Tally
    {
        long judged;
        long failed;
        long scores;
        long promptTokens;
        long completionTokens;
        String reportedModel;
        final List<TraceFailure> failures = new ArrayList<>();
    }

    /** Commits one trace: its scores and answer, or its failure, with the run's counters. */
    private void store(long judgeRunId, Map<String, ScoreConfig> configs, Outcome outcome, Tally tally)
    {
        long written = dsl.transactionResult(configuration -> {
            DSLContext transaction = DSL.using(configuration);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            if (outcome.failure() != null) {
                transaction.insertInto(JUDGE_FAILURES)
                        .set(JUDGE_FAILURES.JUDGE_RUN_ID, judgeRunId)
                        .set(JUDGE_FAILURES.TRACE_ID, outcome.traceId())
                        .set(JUDGE_FAILURES.REASON, outcome.failure())
                        .set(JUDGE_FAILURES.ATTEMPTS, outcome.attempts())
                        .set(JUDGE_FAILURES.CREATED_AT, now)
                        .execute();
                JudgeRuns.countLlmTrace(transaction, judgeRunId, false, outcome.promptTokens(), outcome.completionTokens(), outcome.reportedModel(), now);
                return 0L;
            }
            ScoreWriter writer = new ScoreWriter(transaction, judgeRunId, configs, now);
            outcome.scores().forEach(writer::score);
            writer.flush();
            transaction.insertInto(JUDGE_ANSWERS)
                    .set(JUDGE_ANSWERS.JUDGE_RUN_ID, judgeRunId)
                    .set(JUDGE_ANSWERS.TRACE_ID, outcome.traceId())
                    .set(JUDGE_ANSWERS.ANSWER, outcome.answer().toString())
                    .set(JUDGE_ANSWERS.ATTEMPTS, outcome.attempts())
                    .set(JUDGE_ANSWERS.PROMPT_TOKENS, outcome.promptTokens())
                    .set(JUDGE_ANSWERS.COMPLETION_TOKENS, outcome.completionTokens())
                    .set(JUDGE_ANSWERS.CREATED_AT, now)
                    .execute();
            JudgeRuns.countLlmTrace(transaction, judgeRunId, true, outcome.promptTokens(), outcome.completionTokens(), outcome.reportedModel(), now);
            return writer.written();
        });
        if (outcome.failure() != null) {
            tally.failed++;
            tally.failures.add(new TraceFailure(outcome.traceId(), outcome.failure()));
        }
        else {
            tally.judged++;
        }
        tally.scores += written;
        tally.promptTokens += outcome.promptTokens();
        tally.completionTokens += outcome.completionTokens();
        if (outcome.reportedModel() != null) {
            tally.reportedModel = outcome.reportedModel();
        }
    }
}
