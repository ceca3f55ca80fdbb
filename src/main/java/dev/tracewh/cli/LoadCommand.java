package dev.tracewh.cli;

import dev.tracewh.format.Environment;
import dev.tracewh.format.Formats;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.format.UnreadablePath;
import dev.tracewh.load.LoadOptions;
import dev.tracewh.load.LoadPlan;
import dev.tracewh.load.LoadReport;
import dev.tracewh.load.Loader;
import dev.tracewh.load.PlannedFile;
import dev.tracewh.load.SecretsMode;
import dev.tracewh.load.Shard;
import dev.tracewh.load.SourceRoot;
import dev.tracewh.secrets.SecretRules;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.SourceFileStore;
import dev.tracewh.warehouse.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = {
                "Loads session files into the warehouse. Unchanged files are not read again; grown and rewritten files are merged.",
                "Without --path, loads each format's default folders, named resolved in the summary.",
                // one sentence a line, each short enough that no folder is wrapped in two
                "Claude Code: each of $CLAUDE_CONFIG_DIR/projects (a comma-separated list).",
                "Without it, both $HOME/.claude/projects and $HOME/.config/claude/projects.",
                "Codex: $CODEX_HOME/sessions and $CODEX_HOME/archived_sessions.",
                "Without it, $HOME/.codex/sessions and $HOME/.codex/archived_sessions.",
                "Pi: $PI_CODING_AGENT_DIR/sessions, without it $HOME/.pi/agent/sessions.",
                "OpenClaw: agents/*/sessions in each of $OPENCLAW_DIR (a comma-separated list).",
                "Without it, in $HOME/.openclaw and the older $HOME/.clawdbot, $HOME/.moltbot, $HOME/.moldbot.",
                "Hermes Agent: $HERMES_HOME, without it $HOME/.hermes (state.db, else sessions/).",
                "Gemini CLI: $GEMINI_CLI_HOME/.gemini/tmp, without it $HOME/.gemini/tmp.",
                "Qwen Code: $QWEN_RUNTIME_DIR/projects, else $QWEN_HOME/projects.",
                "Without either, $HOME/.qwen/projects.",
                "Amp: threads/ in each of $AMP_DATA_DIR (a comma-separated list), without it $HOME/.local/share/amp/threads.",
                "OpenCode: $OPENCODE_DATA_DIR, else $XDG_DATA_HOME/opencode.",
                "Without either, $HOME/.local/share/opencode.",
                "Copilot CLI: $COPILOT_CONFIG_DIR/session-state, else $COPILOT_HOME/session-state.",
                "Without either, $HOME/.copilot/session-state (usage from $HOME/.copilot/session-store.db).",
                "ATIF trajectories have no default folder: give them with --path.",
                "With --path and no --format, each file is read as the format its content shows."})
final class LoadCommand
        implements Callable<Integer>
{
    @Mixin
    DatabaseOptions database;

    @Mixin
    SourceHostOption sourceHost;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Only this format: ${COMPLETION-CANDIDATES}.", completionCandidates = FormatIds.class)
    String format;

    @Option(names = "--path", paramLabel = "PATH", description = "A folder or file to load instead of the default locations (repeatable).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--full-refresh", description = "Re-read every file, even unchanged ones (an idempotent merge; nothing is truncated).")
    boolean fullRefresh;

    @Option(names = "--since", paramLabel = "DATE", description = "Only files modified on or after this date (YYYY-MM-DD, UTC) or instant (ISO-8601).")
    String since;

    @Option(names = "--shard", paramLabel = "I/N", description = "Load only shard I of N (files by stable path hash); N loaders with 1/N..N/N load one warehouse in parallel.")
    String shard;

    @Option(names = "--dry-run", description = "List what would be loaded and why (new, grown, changed, unchanged, missing); write nothing.")
    boolean dryRun;

    @Option(names = "--replace-changed", description = {
            "Let a file that shrank or whose start changed since its last load replace its stored sessions.",
            "Without it such a file is refused (an error, exit code 1) and its stored rows are kept: agents only append to their files."})
    boolean replaceChanged;

    @Option(names = "--max-line-bytes", paramLabel = "BYTES", defaultValue = "33554432",
            description = "The longest line parsed (default: ${DEFAULT-VALUE}, 32 MiB); a longer line is an error row and the rest of its file loads.")
    long maxLineBytes;

    @Option(names = "--secrets", paramLabel = "MODE", defaultValue = "redact", description = {
            "What to do with secrets (API keys, tokens, passwords, private keys) found in session text, by gitleaks' rules.",
            "redact (default) stores [REDACTED:<rule id>] in their place; detect stores the text as it is; off does not look.",
            "redact and detect record each finding in secret_findings (never the secret); see them with tracewh secrets."})
    String secrets;

    @Option(names = "--secrets-config", paramLabel = "FILE", description = {
            "A gitleaks-format rules file to use instead of the shipped gitleaks rules; "
                    + "with [extend] useDefault = true its rules and allowlists are added to them."})
    Path secretsConfig;

    @Option(names = "--json", description = "End with one JSON line on stdout (for cron and CI): the metrics, or on a failure its status and error.")
    boolean json;

    @Option(names = "--quiet", description = "No progress bar or status line on the terminal; the summary and errors are still printed.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws IOException
    {
        try {
            return load();
        }
        catch (RuntimeException | IOException e) {
            if (json && !TracewhCommand.shuttingDown()) {
                // a cron log records the failed night as it records the others (an interrupted one: see LoadInterruption)
                List<String> args = spec.commandLine().getParseResult().originalArgs();
                printJson(LoadSummaryJson.failure(null, "failed", TracewhCommand.exitCode(e), Secrets.of(args, System.getenv()).redact(ErrorMessage.of(e).text())));
            }
            throw e;
        }
    }

    private Integer load()
            throws IOException
    {
        if (maxLineBytes < 1) {
            throw new UsageException("--max-line-bytes must be positive, got " + maxLineBytes);
        }
        SecretsMode mode = secretsMode();
        LoadOptions options = new LoadOptions(fullRefresh, sinceInstant(), shard == null ? Shard.ALL : parseShard(), database.waitWhileInUse(), replaceChanged, maxLineBytes,
                sourceHost.resolve(), mode, secretRules(mode));
        Environment environment = Environment.system();
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        try (TerminalProgress progress = TerminalProgress.forStderr(quiet)) {
            if (dryRun) {
                // a dry run writes nothing, not even the schema
                progress.status("opening the warehouse");
                try (Warehouse warehouse = database.openReadOnly()) {
                    List<SourceRoot> roots = roots(environment, new SourceFileStore(warehouse.dsl(), options.sourceHost()));
                    if (roots.isEmpty()) {
                        return nothingFound(environment);
                    }
                    progress.discovering();
                    LoadPlan plan = new Loader(warehouse, TracewhCommand.toolVersion()).plan(roots, options);
                    progress.close();
                    printPlan(plan);
                    return plan.files().isEmpty() && plan.unreadable().isEmpty() ? nothingFound(roots) : ExitCodes.SUCCESS;
                }
            }
            progress.status("opening the warehouse (and migrating its schema if this tracewh is newer)");
            try (Warehouse warehouse = database.openMigrated()) {
                List<SourceRoot> roots = roots(environment, new SourceFileStore(warehouse.dsl(), options.sourceHost()));
                if (roots.isEmpty()) {
                    return nothingFound(environment);
                }
                Loader loader = new Loader(warehouse, TracewhCommand.toolVersion());
                LoadReport report;
                String database = warehouse.url().display();
                try (LoadInterruption interruption = new LoadInterruption(progress, warehouse.url(), System.out, System.err,
                        json ? runId -> LoadSummaryJson.failure(runId, "interrupted", ExitCodes.INTERRUPTED, "interrupted") : null)) {
                    report = loader.load(roots, options, Secrets.of(args, System.getenv()).arguments(args), interruption);
                }
                progress.close();
                String nothing = report.files().scanned() == 0 ? nothingFoundMessage(roots) : null;
                printSummary(report, roots, database, mode, nothing);
                return nothing == null && report.status() == LoadRunStore.Status.SUCCEEDED ? ExitCodes.SUCCESS : ExitCodes.PARTIAL;
            }
        }
    }

    /** No default folder exists: nothing to load is not success, so a cron job that loads nothing night after night is noticed. */
    private int nothingFound(Environment environment)
    {
        List<String> looked = formats().stream().flatMap(each -> each.defaultRoots(environment).stream()).map(Path::toString).toList();
        if (json) {
            printJson(LoadSummaryJson.failure(null, "nothing_found", ExitCodes.PARTIAL, "no session files: " + String.join(", ", looked) + " do not exist"));
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("tracewh: no session files: " + String.join(", ", looked) + " do not exist.");
        err.println("Load the bundled examples with: tracewh load --path examples/claude_code");
        err.flush();
        return ExitCodes.PARTIAL;
    }

    private int nothingFound(List<SourceRoot> roots)
    {
        PrintWriter err = spec.commandLine().getErr();
        err.println("tracewh: " + nothingFoundMessage(roots));
        err.flush();
        return ExitCodes.PARTIAL;
    }

    /** Said when the roots exist but hold no file of the formats asked for (a --format that matches nothing under --path). */
    private String nothingFoundMessage(List<SourceRoot> roots)
    {
        List<String> folders = roots.stream().map(root -> root.root().toAbsolutePath().normalize().toString()).distinct().toList();
        return "no session files " + (format == null ? "" : "of format " + format + " ") + "found under " + String.join(", ", folders);
    }

    private void printJson(String line)
    {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
    }

    private SecretsMode secretsMode()
    {
        try {
            return SecretsMode.valueOf(secrets.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new UsageException("--secrets takes redact, detect or off, got '" + secrets + "'");
        }
    }

    private SecretRules secretRules(SecretsMode mode)
    {
        if (secretsConfig != null && mode == SecretsMode.OFF) {
            throw new UsageException("--secrets-config names the rules to look for secrets with, and --secrets off does not look");
        }
        return SecretsConfig.rules(secretsConfig);
    }

    private Shard parseShard()
    {
        try {
            return Shard.parse(shard);
        }
        catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private Instant sinceInstant()
    {
        if (since == null) {
            return null;
        }
        try {
            return since.length() == 10 ? LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(since);
        }
        catch (DateTimeParseException e) {
            throw new UsageException("--since takes a date (2026-01-31) or an ISO-8601 instant, got '" + since + "'");
        }
    }

    /**
     * The folders to load; none when no default folder exists. A --path that does not exist is a usage error, unless
     * files were loaded from it before: then it is an unmounted disk or a renamed folder, and the load records it
     * instead of marking its files missing.
     */
    private List<SourceRoot> roots(Environment environment, SourceFileStore known)
    {
        List<TraceFormat> formats = formats();
        List<SourceRoot> roots = new ArrayList<>();
        if (!paths.isEmpty()) {
            for (Path path : paths) {
                if (!Files.exists(path) && !known.holdsFilesBelow(path.toAbsolutePath().normalize())) {
                    throw new UsageException("path does not exist: " + path);
                }
                formats.forEach(each -> roots.add(new SourceRoot(each, path)));
            }
            return roots;
        }
        for (TraceFormat each : formats) {
            for (Path root : each.defaultRoots(environment)) {
                if (Files.isDirectory(root) || known.holdsFilesBelow(root.toAbsolutePath().normalize())) {
                    roots.add(new SourceRoot(each, root));
                }
            }
        }
        return roots;
    }

    private List<TraceFormat> formats()
    {
        if (format == null) {
            return Formats.all();
        }
        return List.of(Formats.byId(format).orElseThrow(() ->
                new UsageException("unknown format '" + format + "'; known formats: " + String.join(", ", Formats.ids()))));
    }

    private void printPlan(LoadPlan plan)
    {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (PlannedFile file : plan.files()) {
            counts.merge(file.action().wireName(), 1, Integer::sum);
            out.printf("%-10s %-11s %12d  %s%n", file.action().wireName(), file.sourceKind(), file.sizeBytes(), file.path());
        }
        for (UnreadablePath unreadable : plan.unreadable()) {
            counts.merge("unreadable", 1, Integer::sum);
            out.printf("%-10s %-11s %12s  %s (%s)%n", "unreadable", "", "", unreadable.path(), unreadable.reason());
        }
        out.println(counts.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue()).toList());
        out.flush();
    }

    private void printSummary(LoadReport report, List<SourceRoot> roots, String database, SecretsMode mode, String nothingFound)
    {
        var files = report.files();
        var rows = report.rows();
        if (json) {
            printJson(LoadSummaryJson.of(report, database, nothingFound));
        }
        PrintWriter err = spec.commandLine().getErr();
        if (!json) {
            err.printf("load run %d %s in %.1f s (%.1f MB read, %.1f MB/s) into %s%n", report.runId(), report.status().name().toLowerCase(Locale.ROOT),
                    report.seconds(), files.bytesRead() / 1e6, report.megabytesPerSecond(), database);
            // resolved, as read: never ~, so the summary says which home was meant
            err.printf("  from      %s%n", String.join(", ", roots.stream().map(root -> root.root().toAbsolutePath().normalize().toString()).distinct().toList()));
            err.printf("  files     %,d seen · %,d loaded · %,d skipped unchanged · %,d failed · %,d missing%n",
                    files.scanned(), files.loaded(), files.unchanged(), files.failed(), files.missing());
            err.printf("  read      %,d traces · %,d messages · %,d tool calls · %,d tokens · %,d errors%n",
                    report.traces(), report.messages(), report.toolCalls(), report.tokens(), files.errors());
            err.printf("  written   traces +%,d ~%,d =%,d -%,d · messages +%,d ~%,d -%,d · tool calls +%,d ~%,d -%,d · token rows +%,d ~%,d -%,d%n",
                    rows.tracesInserted(), rows.tracesUpdated(), rows.tracesUnchanged(), rows.tracesDeleted(),
                    rows.messagesInserted(), rows.messagesUpdated(), rows.messagesDeleted(),
                    rows.toolCallsInserted(), rows.toolCallsUpdated(), rows.toolCallsDeleted(),
                    rows.tokenRowsInserted(), rows.tokenRowsUpdated(), rows.tokenRowsDeleted());
            if (rows.secretFindingsWritten() > 0) {
                // findings already stored as they are now are not counted again when their session grows
                err.printf("  secrets   %,d found and %s; see them with: tracewh secrets%n", rows.secretFindingsWritten(),
                        mode == SecretsMode.REDACT ? "redacted" : "stored as they are (--secrets detect)");
            }
            if (report.replacedCharacters() > 0) {
                err.printf("  replaced  %,d NUL or lone-surrogate characters by U+FFFD%n", report.replacedCharacters());
            }
            if (!report.unpricedModels().isEmpty()) {
                // said once: the next load knows these names
                err.printf("  prices    no price for %d model%s seen for the first time: %s (their cost is null; see tracewh prices)%n",
                        report.unpricedModels().size(), report.unpricedModels().size() == 1 ? "" : "s", String.join(", ", report.unpricedModels()));
            }
            report.warnings().forEach(warning -> err.println("  warning   " + warning));
            if (files.errors() > 0) {
                err.printf("  see the errors with: tracewh errors --run %d%n", report.runId());
            }
        }
        if (nothingFound != null) {
            err.println("tracewh: " + nothingFound);
        }
        err.flush();
    }

    static final class FormatIds
            extends ArrayList<String>
    {
        FormatIds()
        {
            super(Formats.ids());
        }
    }
}
