package dev.tracewh.distill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.export.TraceExporter;
import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.load.LoadListener;
import dev.tracewh.load.LoadOptions;
import dev.tracewh.load.LoadReport;
import dev.tracewh.load.Loader;
import dev.tracewh.load.SourceRoot;
import dev.tracewh.secrets.SecretFilter;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.usersql.UserCondition;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.Warehouse;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static dev.tracewh.distill.ClaudeSession.TOKENS_PER_RESPONSE;
import static dev.tracewh.warehouse.schema.Tables.EXPORTS;
import static dev.tracewh.warehouse.schema.Tables.EXPORT_ITEMS;
import static dev.tracewh.warehouse.schema.Tables.JUDGE_RUNS;
import static dev.tracewh.warehouse.schema.Tables.SCORES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.V_JUDGE_TRACE_SCORES;
import static dev.tracewh.warehouse.schema.Tables.V_MESSAGE_KINDS;
import static dev.tracewh.warehouse.schema.Tables.V_SFT_CANDIDATES;
import static dev.tracewh.warehouse.schema.Tables.V_TOOL_INTERACTIONS;
import static dev.tracewh.warehouse.schema.Tables.V_TRACE_DIGEST_INPUT;
import static dev.tracewh.warehouse.schema.Tables.V_TRACE_SCORES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scores, judges, distillation views and the SFT export against one database; every database runs it through a subclass. */
abstract class DistillContract
{
    /** Answers after a failed tool call, then the user leaves with /exit; has a sub-agent. */
    private static final String ANSWERED = "11111111-0000-4000-8000-000000000001";
    private static final String SUBAGENT = ANSWERED + ":agent1";
    /** Ends with the user interrupting a tool call. */
    private static final String INTERRUPTED = "11111111-0000-4000-8000-000000000002";
    /** Only a slash command and its output. */
    private static final String COMMANDS_ONLY = "11111111-0000-4000-8000-000000000003";
    /** Ends with a client-side API error. */
    private static final String API_ERROR = "11111111-0000-4000-8000-000000000004";
    /** Ends with a tool call that was never answered, after a tool result that answers no call. */
    private static final String PENDING = "11111111-0000-4000-8000-000000000005";
    /** A rewind abandoned a prompt, a tool call and its result, and the answer ({@link #loadRewound}). */
    private static final String REWOUND = "11111111-0000-4000-8000-000000000006";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path temp;

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
        ClaudeSession.session(ANSWERED)
                .meta("<system-reminder>Project context</system-reminder>")
                .user("Fix the failing parser test")
                .assistant("The parser is probably wrong.", "Let me read the parser.", "toolu_a1", "Read")
                .toolResult("toolu_a1", "def parse(text): return None", false)
                .assistant(null, null, "toolu_a2", "Bash")
                .toolResult("toolu_a2", "Exit code 1\nFAILED test_parse", true)
                .compactSummary("This session is being continued from a previous conversation.")
                .assistant(null, "Fixed: parse() now handles empty input.")
                .user("<command-name>/exit</command-name>")
                .user("<local-command-stdout>Bye!</local-command-stdout>")
                .writeTo(projects);
        ClaudeSession.subagent(ANSWERED, "agent1")
                .user("Find the parser module")
                .assistant(null, "It is src/parser.py.")
                .writeTo(projects);
        ClaudeSession.session(INTERRUPTED)
                .user("Refactor the config loader")
                .assistant(null, null, "toolu_b1", "Edit")
                .toolResult("toolu_b1", "The user doesn't want to proceed with this tool use.", true)
                .user("[Request interrupted by user for tool use]")
                .writeTo(projects);
        ClaudeSession.session(COMMANDS_ONLY)
                .meta("Caveat: The messages below were generated by the user while running local commands.")
                .user("<command-name>/model</command-name>")
                .user("<local-command-stdout>Set model to opus</local-command-stdout>")
                .writeTo(projects);
        ClaudeSession.session(API_ERROR)
                .user("Explain the build")
                .synthetic("API Error: 529 overloaded")
                .writeTo(projects);
        ClaudeSession.session(PENDING)
                .user("Run the tests")
                .assistant(null, "Checking the setup.")
                .toolResult("toolu_ghost", "output of a call nobody made", false)
                .assistant(null, "I'll run the tests.", "toolu_e1", "Bash")
                .writeTo(projects);
        LoadReport report = new Loader(warehouse, "test")
                .load(List.of(new SourceRoot(new ClaudeCodeFormat(), projects)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(LoadRunStore.Status.SUCCEEDED, report.status());
    }

    @AfterEach
    void closeWarehouse()
    {
        warehouse.close();
        database.close();
    }

    @Test
    void messageKindsTellPromptsFromNoise()
    {
        Map<Integer, String> kinds = new TreeMap<>(dsl.select(V_MESSAGE_KINDS.ORDINAL, V_MESSAGE_KINDS.KIND)
                .from(V_MESSAGE_KINDS)
                .where(V_MESSAGE_KINDS.TRACE_ID.eq(ANSWERED))
                .fetchMap(V_MESSAGE_KINDS.ORDINAL, V_MESSAGE_KINDS.KIND));
        assertEquals(List.of("meta", "prompt", "tool_use", "tool_result", "tool_use", "tool_result", "compact_summary", "answer", "command", "command"),
                List.copyOf(kinds.values()));
    }

    @Test
    void toolErrorRateJudge()
    {
        ScoringResult result = runJudge("tool_error_rate");
        assertEquals(List.of(), result.issues());
        assertEquals(Map.of(ANSWERED, 0.5, INTERRUPTED, 1.0), values(result.judgeRunId(), "tool_error_rate"));
        assertEquals("1 of 2 answered tool calls failed", explanation(result.judgeRunId(), ANSWERED));
    }

    @Test
    void endsWithAnswerJudge()
    {
        ScoringResult result = runJudge("ends_with_answer");
        assertEquals(List.of(), result.issues());
        assertEquals(Map.of(ANSWERED, 1.0, SUBAGENT, 1.0, INTERRUPTED, 0.0, COMMANDS_ONLY, 0.0, API_ERROR, 0.0, PENDING, 0.0),
                values(result.judgeRunId(), "ends_with_answer"));
        assertEquals(Map.of(ANSWERED, "answer", SUBAGENT, "answer", INTERRUPTED, "interruption", COMMANDS_ONLY, "no_messages", API_ERROR, "synthetic", PENDING, "tool_use"),
                labels(result.judgeRunId()));
    }

    @Test
    void hasUserTaskJudge()
    {
        ScoringResult result = runJudge("has_user_task");
        assertEquals(List.of(), result.issues());
        assertEquals(Map.of(ANSWERED, 1.0, SUBAGENT, 1.0, INTERRUPTED, 1.0, COMMANDS_ONLY, 0.0, API_ERROR, 1.0, PENDING, 1.0),
                values(result.judgeRunId(), "has_user_task"));
        assertEquals("1 user prompts, the first is message 1", explanation(result.judgeRunId(), ANSWERED));
    }

    @Test
    void tokensPerToolCallJudge()
    {
        ScoringResult result = runJudge("tokens_per_tool_call");
        assertEquals(List.of(), result.issues());
        assertEquals(Map.of(ANSWERED, 3 * TOKENS_PER_RESPONSE / 2.0, INTERRUPTED, TOKENS_PER_RESPONSE / 1.0, PENDING, 2 * TOKENS_PER_RESPONSE / 1.0),
                values(result.judgeRunId(), "tokens_per_tool_call"));
    }

    @Test
    void everyJudgeRunIsANewRunWithTheHashOfItsSql()
    {
        SqlJudge judge = SqlJudge.builtIn("has_user_task").orElseThrow();
        long first = runJudge("has_user_task").judgeRunId();
        long second = runJudge("has_user_task").judgeRunId();
        assertTrue(second > first);
        assertEquals(List.of(judge.sqlSha256(), judge.sqlSha256()),
                dsl.select(JUDGE_RUNS.SQL_SHA256).from(JUDGE_RUNS).orderBy(JUDGE_RUNS.JUDGE_RUN_ID).fetch(JUDGE_RUNS.SQL_SHA256));
        assertEquals(List.of(6, 6), dsl.select(JUDGE_RUNS.ROW_COUNT).from(JUDGE_RUNS).fetch(JUDGE_RUNS.ROW_COUNT));
    }

    @Test
    void judgeFromAFileReportsRowsItCannotStore()
            throws IOException
    {
        Path file = temp.resolve("length_check.sql");
        Files.writeString(file, """
                -- description: a judge with one good and two bad rows
                select trace_id, 'has_user_task' as name, 1 as value, cast(null as varchar(10)) as label, 'ok' as explanation from sessions where trace_id = '%s'
                union all
                select 'ghost', 'anything', 1, null, null from sessions where trace_id = '%s'
                union all
                select trace_id, 'has_user_task', 2, null, null from sessions where trace_id = '%s';
                """.formatted(ANSWERED, ANSWERED, INTERRUPTED));
        SqlJudge judge = SqlJudge.fromFile(file);
        assertEquals("length_check", judge.name());
        assertEquals("a judge with one good and two bad rows", judge.description());
        ScoringResult result = new JudgeRunner(dsl, MAPPER).run(judge);
        assertEquals(1, result.written());
        assertEquals(Set.of("unknown trace 'ghost'", "has_user_task value 2 is not 0 or 1 (or false or true)"),
                Set.copyOf(result.issues().stream().map(ScoreIssue::message).toList()));
    }

    @Test
    void importsDataDesignerRows()
            throws IOException
    {
        Path file = write("judged.jsonl", """
                {"trace_id": "%s", "messages": [], "trace_digest": {"user_goal": "fix the parser", "training_value": "high", "quality_notes": "complete fix"}, \
                "sft_record": {"instruction": "Fix it", "response": "Done"}, "sft_quality_judge_result": {"groundedness": {"score": 4, "reasoning": "specific"}, \
                "standalone_task": {"score": 4, "reasoning": "clear"}, "response_quality": {"score": "4", "reasoning": "useful"}, \
                "faithfulness": {"score": 4, "reasoning": "nothing invented"}, "training_utility": {"score": 3, "reasoning": "narrow"}}, \
                "groundedness_score": 4, "recommended_for_sft": false}
                """.formatted(ANSWERED));
        ScoringResult result = importScores(file, "nemotron-judge", Optional.of("nvidia/nemotron-3-super-120b-a12b"));
        assertEquals(List.of(), result.issues());
        assertEquals(6, result.written());

        Record scores = dsl.selectFrom(V_JUDGE_TRACE_SCORES).where(V_JUDGE_TRACE_SCORES.TRACE_ID.eq(ANSWERED)).fetchSingle();
        assertEquals(List.of(4.0, 4.0, 4.0, 4.0, 3.0, "high", false), List.of(
                scores.get(V_JUDGE_TRACE_SCORES.GROUNDEDNESS), scores.get(V_JUDGE_TRACE_SCORES.STANDALONE_TASK), scores.get(V_JUDGE_TRACE_SCORES.RESPONSE_QUALITY),
                scores.get(V_JUDGE_TRACE_SCORES.FAITHFULNESS), scores.get(V_JUDGE_TRACE_SCORES.TRAINING_UTILITY), scores.get(V_JUDGE_TRACE_SCORES.TRAINING_VALUE),
                scores.get(V_JUDGE_TRACE_SCORES.RECOMMENDED_FOR_SFT)));
        assertEquals("narrow", dsl.select(SCORES.EXPLANATION).from(SCORES).where(SCORES.NAME.eq("training_utility")).fetchSingle(SCORES.EXPLANATION));
        assertEquals("complete fix", dsl.select(SCORES.EXPLANATION).from(SCORES).where(SCORES.NAME.eq("training_value")).fetchSingle(SCORES.EXPLANATION));
        Record run = dsl.selectFrom(JUDGE_RUNS).fetchSingle();
        assertEquals(List.of("nemotron-judge", "import", "nvidia/nemotron-3-super-120b-a12b", 6),
                List.of(run.get(JUDGE_RUNS.NAME), run.get(JUDGE_RUNS.KIND), run.get(JUDGE_RUNS.MODEL), run.get(JUDGE_RUNS.ROW_COUNT)));
    }

    @Test
    void importsLongRowsFromJsonlAndCsvIncludingDataDesignerColumnsAsJsonText()
            throws IOException
    {
        Path jsonl = write("long.jsonl", """
                {"trace_id": "%s", "name": "groundedness", "value": 2, "explanation": "generic"}
                {"trace_id": "%s", "name": "training_value", "label": "low"}
                {"trace_id": "%s", "target_type": "tool_call", "target_key": "toolu_a2", "name": "retry_needed", "value": true}
                {"trace_id": "%s", "target_type": "message", "target_key": 7, "name": "final", "label": "good"}
                """.formatted(ANSWERED, ANSWERED, ANSWERED, ANSWERED));
        assertEquals(List.of(), importScores(jsonl, "long", Optional.empty()).issues());
        assertEquals(Map.of("trace/:groundedness", "2.0", "trace/:training_value", "low", "tool_call/toolu_a2:retry_needed", "1.0", "message/7:final", "good"),
                storedScores("long"));

        Path csv = write("judged.csv", """
                trace_id,name,value,label,explanation
                %s,groundedness,4,,"grounded, and ""specific""
                over two lines"
                %s,training_value,,high,
                """.formatted(INTERRUPTED, INTERRUPTED));
        assertEquals(List.of(), importScores(csv, "csv", Optional.empty()).issues());
        assertEquals(Map.of("trace/:groundedness", "4.0", "trace/:training_value", "high"), storedScores("csv"));
        assertEquals("grounded, and \"specific\"\nover two lines",
                dsl.select(SCORES.EXPLANATION).from(SCORES).join(JUDGE_RUNS).using(SCORES.JUDGE_RUN_ID)
                        .where(JUDGE_RUNS.NAME.eq("csv")).and(SCORES.NAME.eq("groundedness")).fetchSingle(SCORES.EXPLANATION));

        Path designerCsv = write("designer.csv", """
                trace_id,sft_quality_judge_result,trace_digest
                %s,"{""faithfulness"": {""score"": 1, ""reasoning"": ""invented paths""}}","{""training_value"": ""medium""}"
                """.formatted(PENDING));
        assertEquals(List.of(), importScores(designerCsv, "designer", Optional.empty()).issues());
        assertEquals(Map.of("trace/:faithfulness", "1.0", "trace/:training_value", "medium"), storedScores("designer"));
    }

    @Test
    void reimportUnderTheSameJudgeNameUpdatesInsteadOfDuplicating()
            throws IOException
    {
        Path file = write("judge.jsonl", """
                {"trace_id": "%s", "name": "groundedness", "value": 2}
                {"trace_id": "%s", "name": "training_value", "label": "low"}
                """.formatted(ANSWERED, ANSWERED));
        long first = importScores(file, "llm", Optional.empty()).judgeRunId();
        Files.writeString(file, """
                {"trace_id": "%s", "name": "groundedness", "value": 3, "explanation": "second look"}
                """.formatted(ANSWERED));
        long second = importScores(file, "llm", Optional.of("model-b")).judgeRunId();

        assertEquals(first, second);
        assertEquals(1, dsl.fetchCount(JUDGE_RUNS));
        assertEquals(2, dsl.fetchCount(SCORES));
        assertEquals(Map.of("trace/:groundedness", "3.0", "trace/:training_value", "low"), storedScores("llm"));
        assertEquals("model-b", dsl.select(JUDGE_RUNS.MODEL).from(JUDGE_RUNS).fetchSingle(JUDGE_RUNS.MODEL));
        assertEquals(2, dsl.select(JUDGE_RUNS.ROW_COUNT).from(JUDGE_RUNS).fetchSingle(JUDGE_RUNS.ROW_COUNT));
    }

    @Test
    void badRowsAreReportedWithTheirLineAndSkipped()
            throws IOException
    {
        Path file = write("mixed.jsonl", """
                {"trace_id": "%1$s", "name": "groundedness", "value": 4}
                {"trace_id": "nope", "name": "groundedness", "value": 4}
                {"trace_id": "%1$s", "name": "faithfulness", "value": 5}
                {"trace_id": "%1$s", "name": "training_value", "label": "excellent"}
                {not json
                {"trace_id": "%1$s", "name": "note"}
                {"trace_id": "%1$s", "name": "response_quality", "value": "good"}
                {"trace_id": "%1$s", "target_type": "message", "target_key": "99", "name": "final", "label": "good"}
                {"trace_id": "nope", "sft_quality_judge_result": {"groundedness": {"score": 4}, "faithfulness": {"score": 4}}}
                {"trace_id": "%1$s", "sft_quality_judge_result": {"groundedness": {"score": null, "reasoning": "no answer"}, "faithfulness": {"score": 4}}}
                {"trace_id": "%1$s", "summary": "nothing to score"}
                """.formatted(ANSWERED));
        ScoringResult result = importScores(file, "mixed", Optional.empty());
        assertEquals(2, result.written());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), result.issues().stream().map(ScoreIssue::position).toList());
        assertEquals("unknown trace 'nope'", result.issues().get(0).message());
        assertEquals("faithfulness value 5 is outside 0..4", result.issues().get(1).message());
        assertEquals("training_value label 'excellent' is not one of high, medium, low", result.issues().get(2).message());
        assertTrue(result.issues().get(3).message().startsWith("not JSON"), result.issues().get(3).message());
        assertEquals("note has neither a value nor a label", result.issues().get(4).message());
        assertEquals("response_quality value 'good' is not a number", result.issues().get(5).message());
        assertEquals("unknown message 99 of trace '" + ANSWERED + "'", result.issues().get(6).message());
        assertEquals("unknown trace 'nope'", result.issues().get(7).message());
        assertEquals("groundedness has neither a value nor a label", result.issues().get(8).message());
        assertTrue(result.issues().get(9).message().startsWith("no scores"), result.issues().get(9).message());
        assertEquals(Map.of("trace/:groundedness", "4.0", "trace/:faithfulness", "4.0"), storedScores("mixed"));
    }

    @Test
    void sftCandidatesApplyDataDesignersRuleToTheLatestJudgeRun()
            throws IOException
    {
        Path first = write("first.jsonl", rubricRows(ANSWERED, 4, 4, 4, 4, 4, "high")
                + rubricRows(INTERRUPTED, 4, 4, 3, 4, 4, "high")
                + rubricRows(API_ERROR, 4, 4, 4, 4, 4, "medium")
                + rubricRows(PENDING, 4, 4, 4, 4, 4, "high").lines().skip(1).map(line -> line + "\n").reduce("", String::concat));
        long firstRun = importScores(first, "first", Optional.empty()).judgeRunId();
        runJudge("has_user_task");

        assertEquals(Map.of(ANSWERED, true, SUBAGENT, false, INTERRUPTED, false, COMMANDS_ONLY, false, API_ERROR, false, PENDING, false),
                dsl.select(V_SFT_CANDIDATES.TRACE_ID, V_SFT_CANDIDATES.RECOMMENDED_FOR_SFT).from(V_SFT_CANDIDATES)
                        .fetchMap(V_SFT_CANDIDATES.TRACE_ID, V_SFT_CANDIDATES.RECOMMENDED_FOR_SFT));
        Record answered = dsl.selectFrom(V_SFT_CANDIDATES).where(V_SFT_CANDIDATES.TRACE_ID.eq(ANSWERED)).fetchSingle();
        assertEquals("first", answered.get(V_SFT_CANDIDATES.JUDGE_NAME));
        assertEquals(true, answered.get(V_SFT_CANDIDATES.HAS_USER_TASK));
        assertNull(answered.get(V_SFT_CANDIDATES.ENDS_WITH_ANSWER));
        assertEquals(false, dsl.select(V_SFT_CANDIDATES.HAS_USER_TASK).from(V_SFT_CANDIDATES)
                .where(V_SFT_CANDIDATES.TRACE_ID.eq(COMMANDS_ONLY)).fetchSingle(V_SFT_CANDIDATES.HAS_USER_TASK));

        // a later judge run takes over, with all its columns
        importScores(write("second.jsonl", rubricRows(ANSWERED, 4, 4, 4, 4, 2, "high")), "second", Optional.empty());
        Record latest = dsl.selectFrom(V_TRACE_SCORES).where(V_TRACE_SCORES.TRACE_ID.eq(ANSWERED)).fetchSingle();
        assertEquals("second", latest.get(V_TRACE_SCORES.JUDGE_NAME));
        assertEquals(2.0, latest.get(V_TRACE_SCORES.TRAINING_UTILITY));
        assertFalse(latest.get(V_TRACE_SCORES.RECOMMENDED_FOR_SFT));
        assertEquals("first", dsl.select(V_TRACE_SCORES.JUDGE_NAME).from(V_TRACE_SCORES)
                .where(V_TRACE_SCORES.TRACE_ID.eq(INTERRUPTED)).fetchSingle(V_TRACE_SCORES.JUDGE_NAME));

        // the export takes the latest run by default, or the run it is given
        assertEquals(List.of(), exportedTraceIds(export(new SftSelection(Optional.empty(), List.of(), false, false, false))));
        assertEquals(List.of(ANSWERED), exportedTraceIds(export(new SftSelection(Optional.empty(), List.of(firstRun), false, false, false))));
        assertEquals(firstRun, JudgeRuns.find(dsl, "first").orElseThrow());
        assertEquals(firstRun, JudgeRuns.find(dsl, String.valueOf(firstRun)).orElseThrow());
    }

    @Test
    void anExportPinnedToSeveralRunsTakesEachRubricFromTheLatestOfThemThatScoredIt()
            throws IOException
    {
        List<String> rows = rubricRows(ANSWERED, 4, 4, 4, 4, 4, "high").lines().toList();
        long digest = importScores(write("digest.jsonl", rows.getLast() + "\n"), "digest", Optional.empty()).judgeRunId();
        long quality = importScores(write("quality.jsonl", String.join("\n", rows.subList(0, 5)) + "\n"), "quality", Optional.empty()).judgeRunId();
        long later = importScores(write("later.jsonl", rubricRows(ANSWERED, 4, 4, 4, 4, 1, "high")), "later", Optional.empty()).judgeRunId();

        assertEquals(List.of(), exportedTraceIds(export(new SftSelection(Optional.empty(), List.of(quality), false, false, false))));
        assertEquals(List.of(ANSWERED), exportedTraceIds(export(new SftSelection(Optional.empty(), List.of(digest, quality), false, false, false))));
        assertEquals(List.of(ANSWERED), exportedTraceIds(export(new SftSelection(Optional.empty(), List.of(quality, digest), false, false, false))));
        assertEquals(List.of(), exportedTraceIds(export(new SftSelection(Optional.empty(), List.of(digest, quality, later), false, false, false))));
        // the columns a condition reads are the pinned runs' too
        assertEquals(List.of(ANSWERED), exportedTraceIds(export(new SftSelection(Optional.of(condition("training_value = 'high' and training_utility = 4")),
                List.of(digest, quality), false, false, false))));

        Record recorded = dsl.selectFrom(EXPORTS).orderBy(EXPORTS.EXPORT_ID.desc()).limit(1).fetchSingle();
        assertEquals(quality, recorded.get(EXPORTS.JUDGE_RUN_ID));
        assertEquals(List.of(digest, quality), MAPPER.readTree(recorded.get(EXPORTS.OPTIONS)).path("judge_run_ids").valueStream().map(JsonNode::asLong).toList());
    }

    @Test
    void sftExportIsPairedChatJsonlAndIsRecorded()
            throws IOException
    {
        runJudge("has_user_task");
        Exported exported = export(new SftSelection(Optional.of(condition("has_user_task")), List.of(), false, false, false));
        List<JsonNode> lines = exported.lines();

        // API_ERROR has no assistant message left; COMMANDS_ONLY has no task; the sub-agent is left out
        assertEquals(List.of(ANSWERED, INTERRUPTED, PENDING), exportedTraceIds(exported));
        for (JsonNode line : lines) {
            assertPaired(line.get("messages"));
        }
        assertEquals(List.of(
                        "user: Fix the failing parser test",
                        "assistant: Let me read the parser. [toolu_a1 Read]",
                        "tool toolu_a1: def parse(text): return None",
                        "assistant:  [toolu_a2 Bash]",
                        "tool toolu_a2: Exit code 1\nFAILED test_parse",
                        "assistant: Fixed: parse() now handles empty input."),
                conversation(lines.get(0)));
        assertEquals(List.of(
                        "user: Run the tests",
                        "assistant: Checking the setup.",
                        "assistant: I'll run the tests."),
                conversation(lines.get(2)));
        JsonNode call = lines.get(0).get("messages").get(1).get("tool_calls").get(0);
        assertEquals("function", call.get("type").asText());
        assertEquals(Map.of("argument", "value toolu_a1"), MAPPER.convertValue(MAPPER.readTree(call.get("function").get("arguments").asText()), Map.class));
        assertFalse(lines.get(0).get("messages").get(1).has("reasoning_content"));
        assertEquals(ANSWERED, lines.get(0).get("metadata").get("trace_id").asText());
        assertEquals("claude_code", lines.get(0).get("metadata").get("source_kind").asText());

        Record export = dsl.selectFrom(EXPORTS).fetchSingle();
        assertEquals("has_user_task", export.get(EXPORTS.FILTER_SQL));
        assertEquals(3, export.get(EXPORTS.TRACE_COUNT));
        assertEquals(lines.stream().mapToLong(line -> line.get("messages").size()).sum(), export.get(EXPORTS.MESSAGE_COUNT));
        assertEquals(sha256(exported.bytes()), export.get(EXPORTS.SHA256));
        assertEquals(Set.of(ANSWERED, INTERRUPTED, PENDING),
                Set.copyOf(dsl.select(EXPORT_ITEMS.TRACE_ID).from(EXPORT_ITEMS).fetch(EXPORT_ITEMS.TRACE_ID)));

        Exported again = export(new SftSelection(Optional.of(condition("has_user_task")), List.of(), false, false, false));
        assertEquals(sha256(exported.bytes()), sha256(again.bytes()));
    }

    @Test
    void sftExportIncludesReasoningAndSubAgentsOnRequest()
            throws IOException
    {
        Exported exported = export(new SftSelection(Optional.of(condition("trace_id like '" + ANSWERED + "%'")), List.of(), true, true, false));
        assertEquals(List.of(ANSWERED, SUBAGENT), exportedTraceIds(exported));
        assertEquals("The parser is probably wrong.", exported.lines().get(0).get("messages").get(1).get("reasoning_content").asText());
        assertEquals(List.of("user: Find the parser module", "assistant: It is src/parser.py."), conversation(exported.lines().get(1)));
    }

    @Test
    void traceExportHoldsTheActivePathOrEveryBranchWithItsNumber()
            throws IOException
    {
        loadRewound();
        JsonNode active = exportTrace(false);
        assertEquals(List.of("user: List the files", "assistant: Here they are: a.txt.", "user: Rename a.txt to b.txt",
                "assistant: Renaming it. [toolu_f2]", "tool toolu_f2: renamed", "assistant: Renamed a.txt to b.txt."), traceMessages(active));
        assertEquals(6, active.get("message_count").asInt());
        assertEquals(dsl.select(SESSIONS.MESSAGE_COUNT).from(SESSIONS).where(SESSIONS.TRACE_ID.eq(REWOUND)).fetchSingle().value1(),
                active.get("message_count").asInt());
        assertEquals(1, active.get("tool_call_count").asInt());
        active.get("messages").forEach(message -> assertFalse(message.has("branch"), message.toString()));

        JsonNode all = exportTrace(true);
        assertEquals(List.of("user: List the files", "assistant: Here they are: a.txt.", "user: Delete a.txt", "assistant: Deleting it. [toolu_f1]",
                "tool toolu_f1: removed a.txt", "assistant: Deleted a.txt.", "user: Rename a.txt to b.txt", "assistant: Renaming it. [toolu_f2]",
                "tool toolu_f2: renamed", "assistant: Renamed a.txt to b.txt."), traceMessages(all));
        List<Integer> branches = new ArrayList<>();
        all.get("messages").forEach(message -> branches.add(message.get("branch").asInt()));
        assertEquals(List.of(0, 0, 1, 1, 1, 1, 0, 0, 0, 0), branches);
        assertEquals(10, all.get("message_count").asInt());
        assertEquals(2, all.get("tool_call_count").asInt());
    }

    @Test
    void sftExportLeavesOutWhatARewindAbandonedUnlessAllBranches()
            throws IOException
    {
        loadRewound();
        Optional<UserCondition> rewound = Optional.of(condition("trace_id = '" + REWOUND + "'"));
        Exported active = export(new SftSelection(rewound, List.of(), false, false, false));
        assertEquals(List.of("user: List the files", "assistant: Here they are: a.txt.", "user: Rename a.txt to b.txt",
                "assistant: Renaming it. [toolu_f2 Bash]", "tool toolu_f2: renamed", "assistant: Renamed a.txt to b.txt."), conversation(active.lines().getFirst()));

        Exported all = export(new SftSelection(rewound, List.of(), false, false, true));
        assertEquals(List.of("user: List the files", "assistant: Here they are: a.txt.", "user: Delete a.txt", "assistant: Deleting it. [toolu_f1 Bash]",
                "tool toolu_f1: removed a.txt", "assistant: Deleted a.txt.", "user: Rename a.txt to b.txt", "assistant: Renaming it. [toolu_f2 Bash]",
                "tool toolu_f2: renamed", "assistant: Renamed a.txt to b.txt."), conversation(all.lines().getFirst()));
        assertPaired(all.lines().getFirst().get("messages"));
        List<Boolean> recorded = new ArrayList<>();
        for (String options : dsl.select(EXPORTS.OPTIONS).from(EXPORTS).orderBy(EXPORTS.EXPORT_ID).fetch(EXPORTS.OPTIONS)) {
            recorded.add(MAPPER.readTree(options).get("all_branches").asBoolean());
        }
        assertEquals(List.of(false, true), recorded);
    }

    @Test
    void digestInputHoldsTheFirstAndLastFourMessages()
            throws IOException
    {
        Record digest = dsl.selectFrom(V_TRACE_DIGEST_INPUT).where(V_TRACE_DIGEST_INPUT.TRACE_ID.eq(ANSWERED)).fetchSingle();
        JsonNode opening = MAPPER.readTree(digest.get(V_TRACE_DIGEST_INPUT.OPENING_MESSAGES));
        JsonNode closing = MAPPER.readTree(digest.get(V_TRACE_DIGEST_INPUT.CLOSING_MESSAGES));
        assertEquals(List.of("user", "user", "assistant", "tool"), roles(opening));
        assertEquals(List.of("user", "assistant", "user", "user"), roles(closing));
        assertEquals("Fix the failing parser test", opening.get(1).get("content").get(0).get("text").asText());
        assertEquals("The parser is probably wrong.", opening.get(2).get("reasoning_content").asText());
        assertEquals("toolu_a1", opening.get(2).get("tool_calls").get(0).get("id").asText());
        assertEquals("Read", opening.get(2).get("tool_calls").get(0).get("function").get("name").asText());
        assertEquals("{\"argument\":\"value toolu_a1\"}", opening.get(2).get("tool_calls").get(0).get("function").get("arguments").asText());
        assertEquals("toolu_a1", opening.get(3).get("tool_call_id").asText());
        assertFalse(opening.get(1).has("tool_calls"));
        assertEquals("Fixed: parse() now handles empty input.", digest.get(V_TRACE_DIGEST_INPUT.FINAL_ASSISTANT_MESSAGE));
        assertEquals(10, digest.get(V_TRACE_DIGEST_INPUT.MESSAGE_COUNT));

        JsonNode shortTrace = MAPPER.readTree(dsl.select(V_TRACE_DIGEST_INPUT.CLOSING_MESSAGES).from(V_TRACE_DIGEST_INPUT)
                .where(V_TRACE_DIGEST_INPUT.TRACE_ID.eq(API_ERROR)).fetchSingle(V_TRACE_DIGEST_INPUT.CLOSING_MESSAGES));
        assertEquals(List.of("user", "assistant"), roles(shortTrace));
    }

    @Test
    void toolInteractionsNameThePromptTheyServed()
    {
        var rows = dsl.select(V_TOOL_INTERACTIONS.TOOL_CALL_ID, V_TOOL_INTERACTIONS.TOOL_NAME, V_TOOL_INTERACTIONS.IS_ERROR, V_TOOL_INTERACTIONS.USER_PROMPT)
                .from(V_TOOL_INTERACTIONS)
                .orderBy(V_TOOL_INTERACTIONS.TOOL_CALL_ID)
                .fetch();
        assertEquals(List.of("toolu_a1", "toolu_a2", "toolu_b1", "toolu_e1"), rows.getValues(V_TOOL_INTERACTIONS.TOOL_CALL_ID));
        assertEquals(List.of("Fix the failing parser test", "Fix the failing parser test", "Refactor the config loader", "Run the tests"),
                rows.getValues(V_TOOL_INTERACTIONS.USER_PROMPT));
        assertEquals(Arrays.asList(false, true, true, null), rows.getValues(V_TOOL_INTERACTIONS.IS_ERROR));
    }

    private record Exported(byte[] bytes, List<JsonNode> lines) {}

    /** Loads {@link #REWOUND} from its own folder, so that the other tests' traces stay as they are. */
    private void loadRewound()
            throws IOException
    {
        Path projects = temp.resolve("rewound");
        ClaudeSession.session(REWOUND)
                .user("List the files")
                .assistant(null, "Here they are: a.txt.")
                .user("Delete a.txt")
                .assistant(null, "Deleting it.", "toolu_f1", "Bash")
                .toolResult("toolu_f1", "removed a.txt", false)
                .assistant(null, "Deleted a.txt.")
                .rewindBefore("Delete a.txt")
                .user("Rename a.txt to b.txt")
                .assistant(null, "Renaming it.", "toolu_f2", "Bash")
                .toolResult("toolu_f2", "renamed", false)
                .assistant(null, "Renamed a.txt to b.txt.")
                .writeTo(projects);
        LoadReport report = new Loader(warehouse, "test")
                .load(List.of(new SourceRoot(new ClaudeCodeFormat(), projects)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
        assertEquals(LoadRunStore.Status.SUCCEEDED, report.status());
    }

    /** The {@code export traces} line of {@link #REWOUND}. */
    private JsonNode exportTrace(boolean allBranches)
            throws IOException
    {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        long written = dsl.transactionResult(configuration -> new TraceExporter(DSL.using(configuration), MAPPER, SecretFilter.keepingSecrets(), allBranches)
                .export(SESSIONS.TRACE_ID.eq(REWOUND), output));
        assertEquals(1, written);
        return MAPPER.readTree(output.toString(StandardCharsets.UTF_8));
    }

    /** Each message of an {@code export traces} line as role, tool_call_id, text blocks (or tool result text) and call ids. */
    private static List<String> traceMessages(JsonNode trace)
    {
        List<String> messages = new ArrayList<>();
        for (JsonNode message : trace.get("messages")) {
            StringBuilder text = new StringBuilder(message.get("role").asText());
            if (message.has("tool_call_id")) {
                text.append(' ').append(message.get("tool_call_id").asText());
            }
            text.append(':');
            for (JsonNode block : message.get("content")) {
                JsonNode blockText = block.has("text") ? block.get("text") : block.get("content");
                if (blockText != null && blockText.isTextual()) {
                    text.append(' ').append(blockText.asText());
                }
            }
            if (message.has("tool_calls")) {
                message.get("tool_calls").forEach(call -> text.append(" [").append(call.get("id").asText()).append(']'));
            }
            messages.add(text.toString());
        }
        return messages;
    }

    private UserCondition condition(String text)
    {
        return UserCondition.parse(text, dsl.dialect());
    }

    private Exported export(SftSelection selection)
            throws IOException
    {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        SftExport export = new SftExporter(dsl, dsl, MAPPER).export(selection, "memory", output, SecretFilter.keepingSecrets());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.toString(StandardCharsets.UTF_8).split("\n", -1)) {
            if (!line.isEmpty()) {
                lines.add(MAPPER.readTree(line));
            }
        }
        assertEquals(export.traceCount(), lines.size());
        assertTrue(output.size() == 0 || output.toString(StandardCharsets.UTF_8).endsWith("\n"));
        return new Exported(output.toByteArray(), lines);
    }

    private static List<String> exportedTraceIds(Exported exported)
    {
        return exported.lines().stream().map(line -> line.get("metadata").get("trace_id").asText()).toList();
    }

    /** Every tool message answers a call of the assistant message before it, and every call is answered before the next turn. */
    private static void assertPaired(JsonNode messages)
    {
        Set<String> open = new HashSet<>();
        String previousRole = null;
        for (JsonNode message : messages) {
            String role = message.get("role").asText();
            assertTrue(message.get("content").isTextual());
            if (role.equals("tool")) {
                assertTrue(previousRole != null && (previousRole.equals("assistant") || previousRole.equals("tool")), "tool message after " + previousRole);
                assertTrue(open.remove(message.get("tool_call_id").asText()), "tool message answers no open call: " + message);
            }
            else {
                assertEquals(Set.of(), open, "unanswered tool calls before " + role);
                if (message.has("tool_calls")) {
                    message.get("tool_calls").forEach(call -> open.add(call.get("id").asText()));
                }
            }
            previousRole = role;
        }
        assertEquals(Set.of(), open, "unanswered tool calls at the end");
    }

    private static List<String> conversation(JsonNode line)
    {
        List<String> turns = new ArrayList<>();
        for (JsonNode message : line.get("messages")) {
            StringBuilder turn = new StringBuilder(message.get("role").asText());
            if (message.has("tool_call_id")) {
                turn.append(' ').append(message.get("tool_call_id").asText());
            }
            turn.append(": ").append(message.get("content").asText());
            if (message.has("tool_calls")) {
                message.get("tool_calls").forEach(call -> turn.append(" [").append(call.get("id").asText()).append(' ')
                        .append(call.get("function").get("name").asText()).append(']'));
            }
            turns.add(turn.toString());
        }
        return turns;
    }

    private static List<String> roles(JsonNode messages)
    {
        List<String> roles = new ArrayList<>();
        messages.forEach(message -> roles.add(message.get("role").asText()));
        return roles;
    }

    private ScoringResult runJudge(String name)
    {
        return new JudgeRunner(dsl, MAPPER).run(SqlJudge.builtIn(name).orElseThrow());
    }

    private ScoringResult importScores(Path file, String judge, Optional<String> model)
    {
        return new ScoreImporter(dsl, MAPPER).importFile(file, judge, model);
    }

    private Path write(String name, String content)
            throws IOException
    {
        Path file = temp.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private static String rubricRows(String traceId, int groundedness, int standalone, int quality, int faithfulness, int utility, String trainingValue)
    {
        return """
                {"trace_id": "%1$s", "name": "groundedness", "value": %2$d}
                {"trace_id": "%1$s", "name": "standalone_task", "value": %3$d}
                {"trace_id": "%1$s", "name": "response_quality", "value": %4$d}
                {"trace_id": "%1$s", "name": "faithfulness", "value": %5$d}
                {"trace_id": "%1$s", "name": "training_utility", "value": %6$d}
                {"trace_id": "%1$s", "name": "training_value", "label": "%7$s"}
                """.formatted(traceId, groundedness, standalone, quality, faithfulness, utility, trainingValue);
    }

    private Map<String, Double> values(long judgeRunId, String name)
    {
        return dsl.select(SCORES.TRACE_ID, SCORES.VALUE).from(SCORES)
                .where(SCORES.JUDGE_RUN_ID.eq(judgeRunId)).and(SCORES.NAME.eq(name))
                .fetchMap(SCORES.TRACE_ID, SCORES.VALUE);
    }

    private Map<String, String> labels(long judgeRunId)
    {
        return dsl.select(SCORES.TRACE_ID, SCORES.LABEL).from(SCORES)
                .where(SCORES.JUDGE_RUN_ID.eq(judgeRunId))
                .fetchMap(SCORES.TRACE_ID, SCORES.LABEL);
    }

    private String explanation(long judgeRunId, String traceId)
    {
        return dsl.select(SCORES.EXPLANATION).from(SCORES)
                .where(SCORES.JUDGE_RUN_ID.eq(judgeRunId)).and(SCORES.TRACE_ID.eq(traceId))
                .fetchSingle(SCORES.EXPLANATION);
    }

    /** The scores of the named judge run as "target_type/target_key:name" to value (or label). */
    private Map<String, String> storedScores(String judgeName)
    {
        return dsl.select(SCORES.TARGET_TYPE, SCORES.TARGET_KEY, SCORES.NAME, SCORES.VALUE, SCORES.LABEL)
                .from(SCORES)
                .join(JUDGE_RUNS).on(JUDGE_RUNS.JUDGE_RUN_ID.eq(SCORES.JUDGE_RUN_ID))
                .where(JUDGE_RUNS.NAME.eq(judgeName))
                .fetchMap(score -> score.value1() + "/" + score.value2() + ":" + score.value3(),
                        score -> score.value4() != null ? String.valueOf(score.value4()) : score.value5());
    }

    private static String sha256(byte[] bytes)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
