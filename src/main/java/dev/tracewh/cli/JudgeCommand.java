package dev.tracewh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.distill.JudgeRunner;
import dev.tracewh.distill.LlmJudge;
import dev.tracewh.distill.LlmJudgeRunner;
import dev.tracewh.distill.SqlJudge;
import dev.tracewh.llm.ChatClientOptions;
import dev.tracewh.llm.ChatEndpoint;
import dev.tracewh.llm.ChatModel;
import dev.tracewh.llm.OpenAiCompatibleChat;
import dev.tracewh.secrets.SecretFilter;
import dev.tracewh.secrets.SecretScanner;
import dev.tracewh.usersql.UserCondition;
import dev.tracewh.usersql.UserSqlException;
import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

@Command(name = "judge", mixinStandardHelpOptions = true,
        description = {
                "SQL judges: one SELECT each, returning trace_id, name, value, label, explanation (shipped in db/judges).",
                "LLM judges: a prompt and the JSON schema of its answer (shipped in db/judges/llm)."},
        subcommands = {JudgeCommand.Run.class, JudgeCommand.Llm.class, JudgeCommand.ListJudges.class})
final class JudgeCommand
{
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {
                    "Runs SQL judges and stores each one's rows as a new judge run (kind sql, with the SHA-256 of its SQL).",
                    "A judge is a shipped judge's name (see `tracewh judge list`) or a .sql file."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every row stored", "1:some rows were skipped (listed on stderr)", "2:failed", "3:usage error"})
    static final class Run
            implements Callable<Integer>
    {
        @Mixin
        DatabaseOptions database;

        @Parameters(paramLabel = "NAME|FILE", arity = "0..*", description = "Judges to run, in order.")
        List<String> judges = new ArrayList<>();

        @Option(names = "--all", description = "Run every shipped judge.")
        boolean all;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
                throws IOException
        {
            List<SqlJudge> selected = new ArrayList<>();
            if (all) {
                selected.addAll(SqlJudge.builtIn());
            }
            for (String judge : judges) {
                selected.add(resolve(judge));
            }
            if (selected.isEmpty()) {
                throw new UsageException("name a judge or use --all; shipped judges: " + shippedNames());
            }
            int exitCode = ExitCodes.SUCCESS;
            try (Warehouse warehouse = database.openMigrated()) {
                JudgeRunner runner = new JudgeRunner(warehouse.dsl(), new ObjectMapper());
                for (SqlJudge judge : selected) {
                    exitCode = Math.max(exitCode, ScoresCommand.report(runner.run(judge), "row", "sql", spec.commandLine().getErr()));
                }
            }
            return exitCode;
        }

        private static SqlJudge resolve(String judge)
                throws IOException
        {
            Path file = Path.of(judge);
            if (Files.isRegularFile(file)) {
                return SqlJudge.fromFile(file);
            }
            if (judge.endsWith(".sql")) {
                throw new UsageException("judge file not found: " + judge);
            }
            if (LlmJudge.builtIn(judge).isPresent()) {
                throw new UsageException(judge + " is an LLM judge: run it with `tracewh judge llm " + judge + "`");
            }
            return SqlJudge.builtIn(judge).orElseThrow(() ->
                    new UsageException("unknown judge '" + judge + "'; shipped judges: " + shippedNames() + " (or give a .sql file)"));
        }

        private static String shippedNames()
        {
            return SqlJudge.builtIn().stream().map(SqlJudge::name).collect(Collectors.joining(", "));
        }
    }

    @Command(name = "llm", mixinStandardHelpOptions = true,
            description = {
                    "Asks an LLM behind any OpenAI-compatible chat completions endpoint (OpenAI, NVIDIA's API catalog, vLLM, llama.cpp's "
                            + "llama-server, Ollama's /v1, a LiteLLM proxy) to judge traces, and stores the answers as a new judge run "
                            + "(kind llm) with their scores.",
                    "A judge is a shipped LLM judge's name (trace-digest, sft-quality; see `tracewh judge list`) or a NAME.prompt.md "
                            + "file with NAME.schema.json beside it. The prompt is filled from the trace's row of v_trace_digest_input, "
                            + "redacted as exports are: secrets never leave.",
                    "The API key comes from " + ChatEndpoint.API_KEY_VARIABLE + " (or " + ChatEndpoint.OPENAI_API_KEY_VARIABLE
                            + ") only, and is never stored or printed. Traces this judge and model answered before are skipped "
                            + "unless --rescore; each trace is committed as it is answered, so an interrupted run keeps its work."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every selected trace judged", "1:some traces failed (listed on stderr)", "2:failed", "3:usage error"})
    static final class Llm
            implements Callable<Integer>
    {
        @Mixin
        DatabaseOptions database;

        @Parameters(paramLabel = "NAME|FILE", description = "The judge.")
        String judge;

        @Option(names = "--where", paramLabel = "SQL", description = "One SQL condition on v_trace_digest_input, e.g. \"not is_sidechain and message_count > 4\".")
        String where;

        @Option(names = "--limit", paramLabel = "N", description = "Judge at most N traces (after skipping those judged before).")
        Long limit;

        @Option(names = "--model", paramLabel = "M", description = "The model to ask (default: $" + ChatEndpoint.MODEL_VARIABLE + ").")
        String model;

        @Option(names = "--base-url", paramLabel = "URL",
                description = "The endpoint up to /v1, e.g. http://127.0.0.1:8080/v1 or https://api.openai.com/v1 (default: $"
                        + ChatEndpoint.BASE_URL_VARIABLE + "; there is no other: traces go only where you say).")
        String baseUrl;

        @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
        int parallel;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300", description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Option(names = "--rescore", description = "Judge again the traces this judge and model answered before.")
        boolean rescore;

        @Option(names = "--dry-run", description = "Print the first prompt and how many traces would be sent; send nothing.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        private final Map<String, String> environment;
        private final BiFunction<ChatEndpoint, ChatClientOptions, ChatModel> models;

        Llm()
        {
            this(System.getenv(), OpenAiCompatibleChat::new);
        }

        Llm(Map<String, String> environment, BiFunction<ChatEndpoint, ChatClientOptions, ChatModel> models)
        {
            this.environment = Map.copyOf(environment);
            this.models = requireNonNull(models, "models is null");
        }

        @Override
        public Integer call()
                throws IOException, InterruptedException
        {
            if (parallel < 1 || parallel > 256) {
                throw new UsageException("--parallel must be between 1 and 256, found " + parallel);
            }
            if (limit != null && limit < 0) {
                throw new UsageException("--limit must not be negative, found " + limit);
            }
            if (timeoutSeconds < 1) {
                throw new UsageException("--timeout must be at least 1 second, found " + timeoutSeconds);
            }
            LlmJudge selected = resolveLlm(judge);
            ChatEndpoint endpoint;
            try {
                endpoint = ChatEndpoint.resolve(environment, baseUrl, model);
            }
            catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            PrintWriter err = spec.commandLine().getErr();
            try (Warehouse warehouse = database.openMigrated()) {
                Optional<UserCondition> condition = where == null || where.isBlank()
                        ? Optional.empty()
                        : Optional.of(ExportCommand.where(where, warehouse, "v_trace_digest_input"));
                LlmJudgeRunner.Selection selection = new LlmJudgeRunner.Selection(condition,
                        limit == null ? OptionalLong.empty() : OptionalLong.of(limit), endpoint.model(), endpoint.baseUrl().toString(), rescore);
                SecretFilter secrets = SecretFilter.redacting(SecretScanner.of(SecretsConfig.rules(null)));
                if (dryRun) {
                    LlmJudgeRunner.DryRun plan = new LlmJudgeRunner(warehouse.dsl(), new ObjectMapper(), secrets, NOT_CALLED).dryRun(selected, selection);
                    PrintWriter out = spec.commandLine().getOut();
                    plan.firstPrompt().ifPresent(out::println);
                    out.flush();
                    err.printf("dry run: judge %s would send %,d traces to %s at %s (%,d skipped: answered before by this judge and model); nothing sent%n",
                            selected.name(), plan.traces(), endpoint.model(), endpoint.baseUrl().toString(), plan.skipped());
                    err.flush();
                    return ExitCodes.SUCCESS;
                }
                LlmJudgeRunner.Result result;
                try (ChatModel chat = models.apply(endpoint, ChatClientOptions.defaults().withRequestTimeout(Duration.ofSeconds(timeoutSeconds)));
                        JudgeProgress progress = JudgeProgress.forStderr()) {
                    result = new LlmJudgeRunner(warehouse.dsl(), new ObjectMapper(), secrets, chat).run(selected, selection, parallel, progress);
                }
                result.failures().forEach(failure -> err.printf("trace %s: %s%n", failure.traceId(), failure.reason()));
                if (secrets.redacted() > 0) {
                    err.printf("redacted %,d secrets in the prompts before sending them%n", secrets.redacted());
                }
                err.printf("judge run %d '%s' (llm, %s at %s, reported %s): %,d traces judged, %,d failed, %,d skipped (answered before); "
                                + "%,d scores written; %,d prompt + %,d completion tokens%n",
                        result.judgeRunId(), result.judgeName(), endpoint.model(), endpoint.baseUrl().toString(), result.reportedModel().orElse("(none)"),
                        result.judged(), result.failed(), result.skipped(), result.scoresWritten(), result.promptTokens(), result.completionTokens());
                err.flush();
                return result.failed() == 0 ? ExitCodes.SUCCESS : ExitCodes.PARTIAL;
            }
            catch (UserSqlException e) {
                throw new UsageException(e.getMessage());
            }
            catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }

        /** A dry run renders prompts only; a request would be a bug. */
        private static final ChatModel NOT_CALLED = request -> {
            throw new IllegalStateException("a dry run sends nothing");
        };

        private static LlmJudge resolveLlm(String judge)
                throws IOException
        {
            Path file = Path.of(judge);
            if (Files.isRegularFile(file)) {
                try {
                    return LlmJudge.fromFile(file);
                }
                catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            }
            if (judge.endsWith(".md")) {
                throw new UsageException("judge file not found: " + judge);
            }
            return LlmJudge.builtIn(judge).orElseThrow(() -> new UsageException("unknown LLM judge '" + judge + "'; shipped LLM judges: "
                    + LlmJudge.builtIn().stream().map(LlmJudge::name).collect(Collectors.joining(", ")) + " (or give a NAME.prompt.md file)"));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the shipped judges (SQL, then LLM) with their descriptions.")
    static final class ListJudges
            implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
        {
            List<SqlJudge> judges = SqlJudge.builtIn();
            List<LlmJudge> llmJudges = LlmJudge.builtIn();
            int width = Math.max(judges.stream().mapToInt(judge -> judge.name().length()).max().orElse(0),
                    llmJudges.stream().mapToInt(judge -> judge.name().length()).max().orElse(0));
            PrintWriter out = spec.commandLine().getOut();
            for (SqlJudge judge : judges) {
                out.printf("%-" + width + "s  %s%n", judge.name(), judge.description());
            }
            for (LlmJudge judge : llmJudges) {
                out.printf("%-" + width + "s  (LLM, judge llm) %s%n", judge.name(), judge.description());
            }
            out.flush();
            return ExitCodes.SUCCESS;
        }
    }
}
