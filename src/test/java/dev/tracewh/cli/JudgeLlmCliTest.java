package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import dev.tracewh.llm.ChatCompletion;
import dev.tracewh.llm.ChatClientOptions;
import dev.tracewh.llm.ChatEndpoint;
import dev.tracewh.llm.ChatModel;
import dev.tracewh.llm.ChatRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tracewh judge llm} as a user runs it, on an H2 file and the bundled examples, with a model the test plays. */
class JudgeLlmCliTest
{
    private static final Path EXAMPLES = Path.of("examples/claude_code");
    private static final String API_KEY = "sk-test-" + "0123456789abcdef0123456789abcdef";
    private static final String QUALITY_ANSWER = """
            {"groundedness": {"reasoning": "r", "score": 4}, "standalone_task": {"reasoning": "r", "score": 3},
             "response_quality": {"reasoning": "r", "score": 4}, "faithfulness": {"reasoning": "r", "score": 4},
             "training_utility": {"reasoning": "r", "score": 2}}""";

    @TempDir
    Path temp;

    @Test
    void helpSaysWhereTheKeyComesFromAndWhatIsSent()
    {
        Run help = run("judge", "llm", "--help");
        assertEquals(0, help.exitCode());
        for (String expected : List.of("TRACEWH_LLM_API_KEY", "OPENAI_API_KEY", "TRACEWH_LLM_BASE_URL", "TRACEWH_LLM_MODEL", "v_trace_digest_input",
                "redacted", "--dry-run", "--rescore", "--parallel", "--limit", "--where", "--timeout", "llama-server")) {
            assertTrue(help.out().contains(expected), expected + " in " + help.out());
        }
        assertFalse(help.out().contains("--api-key"), help.out());
    }

    @Test
    void judgeListShowsTheLlmJudges()
    {
        Run list = run("judge", "list");
        assertEquals(0, list.exitCode());
        assertTrue(list.out().contains("has_user_task"), list.out());
        assertTrue(list.out().lines().anyMatch(line -> line.startsWith("trace-digest ") && line.contains("(LLM, judge llm)")), list.out());
        assertTrue(list.out().lines().anyMatch(line -> line.startsWith("sft-quality ") && line.contains("five rubrics")), list.out());
    }

    @Test
    void aDryRunPrintsTheFirstPromptAndTheCountAndSendsNothing()
    {
        String db = loadExamples();
        Run dryRun = run("judge", "llm", "trace-digest", "--db", db, "--model", "qwen3", "--base-url", "http://127.0.0.1:9/v1", "--dry-run");
        assertEquals(0, dryRun.exitCode(), dryRun.all());
        assertTrue(dryRun.out().startsWith("You are reviewing one transcript"), dryRun.out());
        assertFalse(dryRun.out().contains("{{"), dryRun.out());
        assertTrue(dryRun.err().contains("would send 3 traces to qwen3 at http://127.0.0.1:9/v1"), dryRun.err());
        assertTrue(dryRun.err().contains("nothing sent"), dryRun.err());
        assertEquals("n\n0\n", run("sql", "--db", db, "--csv", "select count(*) as n from judge_runs").out());

        Run limited = run("judge", "llm", "sft-quality", "--db", db, "--model", "qwen3", "--where", "not is_sidechain", "--limit", "1",
                "--base-url", "http://127.0.0.1:9/v1", "--dry-run");
        assertTrue(limited.err().contains("would send 1 traces"), limited.err());
    }

    @Test
    void usageErrors()
    {
        String db = loadExamples();
        Run noModel = run("judge", "llm", "trace-digest", "--db", db, "--base-url", "http://127.0.0.1:9/v1", "--dry-run");
        assertEquals(ExitCodes.USAGE, noModel.exitCode(), noModel.all());
        assertTrue(noModel.err().contains("give --model or set TRACEWH_LLM_MODEL"), noModel.err());
        // traces go only where the user says: there is no default endpoint
        Run noEndpoint = run("judge", "llm", "trace-digest", "--db", db, "--model", "m", "--dry-run");
        assertEquals(ExitCodes.USAGE, noEndpoint.exitCode(), noEndpoint.all());
        assertTrue(noEndpoint.err().contains("give --base-url or set TRACEWH_LLM_BASE_URL"), noEndpoint.err());
        Run unknown = run("judge", "llm", "no-such-judge", "--db", db, "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--dry-run");
        assertEquals(ExitCodes.USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("trace-digest"), unknown.err());
        Run sqlRun = run("judge", "run", "sft-quality", "--db", db);
        assertEquals(ExitCodes.USAGE, sqlRun.exitCode(), sqlRun.all());
        assertTrue(sqlRun.err().contains("tracewh judge llm sft-quality"), sqlRun.err());
        Run badWhere = run("judge", "llm", "trace-digest", "--db", db, "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--where",
                "true); drop table scores; select (1", "--dry-run");
        assertEquals(ExitCodes.USAGE, badWhere.exitCode(), badWhere.all());
    }

    @Test
    void aRunTakesTheEndpointFromTheEnvironmentAndNeverShowsTheKey()
    {
        String db = loadExamples();
        AtomicReference<ChatEndpoint> used = new AtomicReference<>();
        List<ChatRequest> requests = new ArrayList<>();
        ChatModel model = request -> {
            synchronized (requests) {
                requests.add(request);
            }
            return new ChatCompletion(QUALITY_ANSWER, "served-model", 50, 5);
        };
        Map<String, String> environment = Map.of("TRACEWH_LLM_API_KEY", API_KEY, "TRACEWH_LLM_BASE_URL", "http://127.0.0.1:9/v1/",
                "TRACEWH_LLM_MODEL", "qwen3");
        Run judged = runLlm(environment, (endpoint, options) -> {
            used.set(endpoint);
            return model;
        }, "sft-quality", "--db", db, "--parallel", "2");
        assertEquals(0, judged.exitCode(), judged.all());
        assertEquals("http://127.0.0.1:9/v1/chat/completions", used.get().chatCompletionsUrl().toString());
        assertEquals("qwen3", used.get().model());
        assertEquals(API_KEY, used.get().apiKey());
        assertFalse(used.get().toString().contains(API_KEY));
        assertEquals(3, requests.size());
        assertTrue(judged.err().contains("3 traces judged, 0 failed, 0 skipped"), judged.err());
        assertTrue(judged.err().contains("reported served-model"), judged.err());
        assertTrue(judged.err().contains("150 prompt + 15 completion tokens"), judged.err());

        Run again = runLlm(environment, (endpoint, options) -> model, "sft-quality", "--db", db);
        assertTrue(again.err().contains("0 traces judged, 0 failed, 3 skipped"), again.err());
        assertEquals(3, requests.size());

        Run stored = run("sql", "--db", db, "--csv", "select * from judge_runs");
        assertTrue(stored.out().contains("http://127.0.0.1:9/v1"), stored.out());
        assertTrue(stored.out().contains("served-model"), stored.out());
        for (String table : List.of("judge_runs", "judge_answers", "judge_failures", "scores")) {
            assertFalse(run("sql", "--db", db, "--csv", "select * from " + table).out().contains(API_KEY), table);
        }
        assertFalse(judged.all().contains(API_KEY));
        assertEquals("recommended\nfalse\nfalse\nfalse\n",
                run("sql", "--db", db, "--csv", "select recommended_for_sft as recommended from v_sft_candidates order by trace_id").out());
    }

    @Test
    void failedTracesAreListedAndTheExitCodeSaysSome()
    {
        String db = loadExamples();
        Run run = runLlm(Map.of(), (endpoint, options) -> request -> new ChatCompletion("{}", null, 0, 0), "sft-quality", "--db", db, "--model", "m",
                "--base-url", "http://127.0.0.1:9/v1", "--where", "not is_sidechain");
        assertEquals(ExitCodes.PARTIAL, run.exitCode(), run.all());
        assertTrue(run.err().contains("the answer failed the schema twice: $: required property 'groundedness' not found"), run.err());
        assertTrue(run.err().contains("0 traces judged, 2 failed"), run.err());
    }

    @Test
    void anSftExportPinsTheDigestRunAndTheQualityRunTogether()
            throws IOException
    {
        String db = loadExamples();
        String digest = """
                {"user_goal": "g", "repository_context": "c", "task_type": "bug_fix", "notable_actions": [], "useful_outcome": "o",
                 "training_value": "high", "quality_notes": "n"}""";
        String allFours = QUALITY_ANSWER.replace("\"score\": 3", "\"score\": 4").replace("\"score\": 2", "\"score\": 4");
        for (List<String> judge : List.of(List.of("trace-digest", digest), List.of("sft-quality", allFours))) {
            Run judged = runLlm(Map.of(), (endpoint, options) -> request -> new ChatCompletion(judge.get(1), null, 0, 0), judge.getFirst(), "--db", db,
                    "--model", "m", "--base-url", "http://127.0.0.1:9/v1", "--where", "not is_sidechain");
            assertEquals(0, judged.exitCode(), judged.all());
        }
        // a later digest run that finds nothing of value is left out when the first one is pinned by its id
        long firstDigest = Long.parseLong(run("sql", "--db", db, "--csv", "select min(judge_run_id) as id from judge_runs").out().lines().toList().get(1));
        Run later = runLlm(Map.of(), (endpoint, options) -> request -> new ChatCompletion(digest.replace("\"high\"", "\"low\""), null, 0, 0),
                "trace-digest", "--db", db, "--model", "other", "--base-url", "http://127.0.0.1:9/v1", "--where", "not is_sidechain");
        assertEquals(0, later.exitCode(), later.all());

        Path pinned = temp.resolve("pinned.jsonl");
        Run export = run("export", "sft", "--db", db, "--judge", String.valueOf(firstDigest), "--judge", "sft-quality", "--out", pinned.toString());
        assertEquals(0, export.exitCode(), export.all());
        assertTrue(export.err().contains("exported 2 traces"), export.err());
        assertEquals(2, Files.readAllLines(pinned).size());
        Run latest = run("export", "sft", "--db", db, "--judge", "trace-digest", "--judge", "sft-quality", "--out", temp.resolve("latest.jsonl").toString());
        assertTrue(latest.err().contains("exported 0 traces"), latest.err());
        Run unknown = run("export", "sft", "--db", db, "--judge", "trace-digest", "--judge", "no-such-run", "--out", temp.resolve("none.jsonl").toString());
        assertEquals(ExitCodes.USAGE, unknown.exitCode(), unknown.all());
        assertTrue(unknown.err().contains("no judge run with id or name 'no-such-run'"), unknown.err());
    }

    private String loadExamples()
    {
        String db = temp.resolve("warehouse").toString();
        Run load = run("load", "--db", db, "--path", EXAMPLES.toString(), "--quiet");
        assertEquals(0, load.exitCode(), load.all());
        return db;
    }

    private static Run runLlm(Map<String, String> environment, BiFunction<ChatEndpoint, ChatClientOptions, ChatModel> models, String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(new JudgeCommand.Llm(environment, models))
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
