package dev.tracewh.devtools;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.tracewh.devtools.Draws.chance;
import static dev.tracewh.devtools.Draws.pick;
import static java.util.Objects.requireNonNull;

/**
 * Writes one Codex CLI rollout, {@code sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl}, in the
 * {@code {timestamp, type, payload}} envelope: a {@code session_meta}, injected context messages, then turns of
 * {@code turn_context}, user message (as a response item and an {@code event_msg} copy), reasoning (summary and
 * encrypted content, plus its {@code agent_reasoning} copy), tool calls and outputs, {@code token_count} events
 * (repeated after each {@code turn_context}, as Codex does) and a final assistant message. Rollouts before
 * {@link #EXEC_COMMAND_SINCE} use the older {@code shell} tool with JSON-encoded outputs; later ones
 * {@code exec_command} with plain-text outputs, {@code task_started}/{@code task_complete} events and UUIDv7 ids.
 * Some turns compact the history, some spawn a sub-agent with its own rollout.
 */
final class CodexRolloutWriter
{
    static final Instant EXEC_COMMAND_SINCE = Instant.parse("2025-12-01T00:00:00Z");

    private static final String[] OLD_VERSIONS = {"0.46.0", "0.58.0", "0.63.0"};
    private static final String[] NEW_VERSIONS = {"0.77.0", "0.104.0-alpha.1", "0.135.0"};
    private static final String[] MODELS = {"gpt-5-codex", "gpt-5.1-codex", "gpt-5.2-codex"};
    private static final String[] COMMANDS = {"npm test", "pytest -q", "go test ./...", "cargo build", "git status", "git diff --stat",
            "rg -n TODO src", "ls -la", "cat src/main.py", "make lint"};
    private static final String[] BRANCHES = {"main", "main", "develop", "feature/parse-428", "fix/flaky-tests"};
    private static final String[] NICKNAMES = {"Euler", "Noether", "Hopper", "Lovelace", "Turing"};
    private static final long TAIL_SLACK_BYTES = 1_500;
    private static final long CONTEXT_WINDOW = 258_400;
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private enum CallKind
    {
        EXEC, PATCH, PLAN, MCP, SPAWN
    }

    /** A tool call whose output is still to be written. */
    private record PendingCall(CallKind kind, String callId) {}

    private final TextSource text;
    private final SplittableRandom random;
    private final Path sessionsRoot;
    private final String threadId;
    private final String cwd;
    private final String cliVersion;
    private final String model;
    private final boolean execCommand;
    private JsonLineWriter out;
    private long clock;
    private long totalInput;
    private long totalCached;
    private long totalOutput;
    private long totalReasoning;
    private long contextTokens = 8_000;
    private final List<Path> files = new ArrayList<>();
    private long closedBytes;
    private long closedLines;

    private CodexRolloutWriter(TextSource text, SplittableRandom random, Path sessionsRoot, String threadId, String cwd, String cliVersion,
            String model, long startMillis)
    {
        this.text = requireNonNull(text, "text is null");
        this.random = requireNonNull(random, "random is null");
        this.sessionsRoot = sessionsRoot;
        this.threadId = requireNonNull(threadId, "threadId is null");
        this.cwd = requireNonNull(cwd, "cwd is null");
        this.cliVersion = requireNonNull(cliVersion, "cliVersion is null");
        this.model = requireNonNull(model, "model is null");
        this.execCommand = !Instant.ofEpochMilli(startMillis).isBefore(EXEC_COMMAND_SINCE);
        this.clock = startMillis;
    }

    /** Writes a new rollout of about {@code targetBytes}, sub-agent rollouts included (none without {@code subagentFiles}). */
    static GeneratedFiles writeSession(Path sessionsRoot, String cwd, Instant start, long targetBytes, boolean subagentFiles,
            TextSource text, SplittableRandom random)
            throws IOException
    {
        boolean recent = !start.isBefore(EXEC_COMMAND_SINCE);
        String threadId = recent ? TextSource.uuidV7(random, start.toEpochMilli()) : TextSource.uuid(random);
        CodexRolloutWriter writer = new CodexRolloutWriter(text, random, sessionsRoot, threadId, cwd,
                pick(random, recent ? NEW_VERSIONS : OLD_VERSIONS), pick(random, MODELS), start.toEpochMilli());
        writer.writeRollout(targetBytes, subagentFiles, null);
        return new GeneratedFiles(writer.files.size(), writer.closedBytes, writer.closedLines);
    }

    /** Appends one turn to an existing rollout, continuing its clock and its cumulative token totals. */
    static GeneratedFiles appendTurn(Path rollout, TextSource text, SplittableRandom random)
            throws IOException
    {
        RolloutState state = RolloutState.read(rollout);
        CodexRolloutWriter writer = new CodexRolloutWriter(text, random, null, state.threadId, state.cwd, state.cliVersion,
                state.model, state.epochMillis + 60_000);
        writer.totalInput = state.totalInput;
        writer.totalCached = state.totalCached;
        writer.totalOutput = state.totalOutput;
        writer.totalReasoning = state.totalReasoning;
        writer.out = JsonLineWriter.append(rollout);
        long startBytes = writer.out.bytes();
        writer.turn(Long.MAX_VALUE, false);
        writer.out.close();
        return new GeneratedFiles(0, writer.out.bytes() - startBytes, writer.out.lines());
    }

    private void writeRollout(long targetBytes, boolean subagentFiles, String parentThreadId)
            throws IOException
    {
        Path file = sessionsRoot.resolve(Timestamps.dayFolders(clock))
                .resolve("rollout-" + Timestamps.fileNameTime(clock) + "-" + threadId + ".jsonl");
        out = JsonLineWriter.create(file);
        files.add(file);
        sessionMeta(parentThreadId);
        injectedContext();
        int turns = 0;
        do {
            if (turns >= 3 && chance(random, 0.04)) {
                compaction();
            }
            turn(targetBytes, subagentFiles && parentThreadId == null);
            turns++;
        }
        while (out.bytes() < targetBytes - TAIL_SLACK_BYTES);
        out.close();
        closedBytes += out.bytes();
        closedLines += out.lines();
    }

    private void turn(long limitBytes, boolean spawnAllowed)
            throws IOException
    {
        clock += 5_000 + random.nextInt(300_000);
        String turnId = TextSource.uuidV7(random, clock);
        String prompt = text.prose(random, (int) Draws.logUniform(random, 40, 2_500));
        if (execCommand) {
            JsonGenerator json = event("task_started");
            json.writeStringField("turn_id", turnId);
            json.writeNumberField("model_context_window", CONTEXT_WINDOW);
            json.writeStringField("collaboration_mode_kind", "default");
            endPayload();
        }
        message("user", "input_text", prompt, null);
        JsonGenerator json = event("user_message");
        json.writeStringField("message", prompt);
        json.writeArrayFieldStart("images");
        json.writeEndArray();
        endPayload();
        turnContext(turnId);
        tokenCount(false);

        int requests = 1 + random.nextInt(limitBytes - out.bytes() > 200_000 ? 6 : 3);
        for (int request = 0; request < requests && out.bytes() < limitBytes - TAIL_SLACK_BYTES; request++) {
            if (chance(random, 0.7)) {
                reasoning();
            }
            List<PendingCall> calls = new ArrayList<>();
            for (int i = 1 + (chance(random, 0.3) ? random.nextInt(3) : 0); i > 0; i--) {
                PendingCall call = toolCall(spawnAllowed);
                if (call != null) {
                    calls.add(call);
                }
            }
            tokenCount(true);
            for (PendingCall call : calls) {
                toolOutput(call, Math.max(0, limitBytes - out.bytes()));
            }
            turnContext(turnId);
            tokenCount(false);
        }
        String answer = text.prose(random, (int) Draws.logUniform(random, 200, 5_000));
        json = event("agent_message");
        json.writeStringField("message", answer);
        endPayload();
        message("assistant", "output_text", answer, execCommand ? "final_answer" : null);
        tokenCount(true);
        if (execCommand) {
            json = event("task_complete");
            json.writeStringField("turn_id", turnId);
            json.writeStringField("last_agent_message", answer);
            endPayload();
        }
    }

    // --- line writers -------------------------------------------------------------------------------------------

    private JsonGenerator line(String type)
            throws IOException
    {
        clock += 2 + random.nextInt(400);
        JsonGenerator json = out.startLine();
        json.writeStringField("timestamp", Timestamps.utcMillis(clock));
        json.writeStringField("type", type);
        json.writeObjectFieldStart("payload");
        return json;
    }

    private JsonGenerator event(String eventType)
            throws IOException
    {
        JsonGenerator json = line("event_msg");
        json.writeStringField("type", eventType);
        return json;
    }

    private JsonGenerator responseItem(String itemType)
            throws IOException
    {
        JsonGenerator json = line("response_item");
        json.writeStringField("type", itemType);
        return json;
    }

    private void endPayload()
            throws IOException
    {
        out.json().writeEndObject();
        out.endLine();
    }

    private void sessionMeta(String parentThreadId)
            throws IOException
    {
        JsonGenerator json = line("session_meta");
        json.writeStringField("id", threadId);
        json.writeStringField("timestamp", Timestamps.utcMillis(clock - 1_000 - random.nextInt(9_000)));
        json.writeStringField("cwd", cwd);
        json.writeStringField("originator", "codex_cli_rs");
        json.writeStringField("cli_version", cliVersion);
        if (parentThreadId == null) {
            json.writeStringField("source", "cli");
        }
        else {
            json.writeObjectFieldStart("source");
            json.writeObjectFieldStart("subagent");
            json.writeObjectFieldStart("thread_spawn");
            json.writeStringField("parent_thread_id", parentThreadId);
            json.writeNumberField("depth", 1);
            json.writeStringField("agent_nickname", pick(random, NICKNAMES));
            json.writeStringField("agent_role", "explorer");
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
            json.writeStringField("thread_source", "subagent");
        }
        json.writeStringField("model_provider", "openai");
        if (execCommand) {
            json.writeObjectFieldStart("base_instructions");
            json.writeStringField("text", "You are Codex, a coding agent. " + text.prose(random, (int) Draws.logUniform(random, 2_000, 12_000)));
            json.writeEndObject();
        }
        else {
            json.writeNullField("instructions");
        }
        json.writeObjectFieldStart("git");
        json.writeStringField("commit_hash", text.hex(random, 40));
        json.writeStringField("branch", pick(random, BRANCHES));
        json.writeStringField("repository_url", "git@github.com:example/" + cwd.substring(cwd.lastIndexOf('/') + 1) + ".git");
        json.writeEndObject();
        endPayload();
    }

    private void injectedContext()
            throws IOException
    {
        message("developer", "input_text", "<permissions instructions>\n" + text.prose(random, 400 + random.nextInt(800))
                + "\n</permissions instructions>", null);
        if (chance(random, 0.5)) {
            message("user", "input_text", "# AGENTS.md instructions for " + cwd + "\n\n<INSTRUCTIONS>\n"
                    + text.prose(random, (int) Draws.logUniform(random, 500, 6_000)) + "\n</INSTRUCTIONS>", null);
        }
        message("user", "input_text", "<environment_context>\n  <cwd>" + cwd + "</cwd>\n  <approval_policy>on-request</approval_policy>\n"
                + "  <sandbox_mode>workspace-write</sandbox_mode>\n  <network_access>restricted</network_access>\n  <shell>zsh</shell>\n"
                + "</environment_context>", null);
    }

    private void message(String role, String contentType, String value, String phase)
            throws IOException
    {
        JsonGenerator json = responseItem("message");
        json.writeStringField("role", role);
        json.writeArrayFieldStart("content");
        json.writeStartObject();
        json.writeStringField("type", contentType);
        json.writeStringField("text", value);
        json.writeEndObject();
        json.writeEndArray();
        if (phase != null) {
            json.writeStringField("phase", phase);
        }
        endPayload();
    }

    private void turnContext(String turnId)
            throws IOException
    {
        JsonGenerator json = line("turn_context");
        if (execCommand) {
            json.writeStringField("turn_id", turnId);
        }
        json.writeStringField("cwd", cwd);
        json.writeStringField("approval_policy", "on-request");
        json.writeObjectFieldStart("sandbox_policy");
        json.writeStringField("type", "workspace-write");
        json.writeArrayFieldStart("writable_roots");
        json.writeString(cwd);
        json.writeEndArray();
        json.writeBooleanField("network_access", false);
        json.writeEndObject();
        json.writeStringField("model", model);
        json.writeStringField("effort", "high");
        json.writeStringField("summary", "auto");
        endPayload();
    }

    /** A token_count event; {@code newResponse} adds a model response to the totals, else the last totals repeat. */
    private void tokenCount(boolean newResponse)
            throws IOException
    {
        JsonGenerator json = event("token_count");
        if (totalInput == 0 && !newResponse) {
            json.writeNullField("info");
        }
        else {
            long input = contextTokens;
            long cached = input * (60 + random.nextInt(35)) / 100;
            long output = 30 + Draws.logUniform(random, 20, 2_500);
            long reasoning = output * random.nextInt(60) / 100;
            if (newResponse) {
                totalInput += input;
                totalCached += cached;
                totalOutput += output;
                totalReasoning += reasoning;
                contextTokens = Math.min(CONTEXT_WINDOW - 20_000, contextTokens + output + 500 + random.nextInt(4_000));
            }
            json.writeObjectFieldStart("info");
            usage(json, "total_token_usage", totalInput, totalCached, totalOutput, totalReasoning);
            usage(json, "last_token_usage", input, cached, output, reasoning);
            json.writeNumberField("model_context_window", CONTEXT_WINDOW);
            json.writeEndObject();
        }
        json.writeObjectFieldStart("rate_limits");
        json.writeObjectFieldStart("primary");
        json.writeNumberField("used_percent", (double) random.nextInt(100));
        json.writeNumberField("window_minutes", 300);
        json.writeNumberField("resets_at", clock / 1000 + random.nextInt(18_000));
        json.writeEndObject();
        json.writeObjectFieldStart("secondary");
        json.writeNumberField("used_percent", (double) random.nextInt(100));
        json.writeNumberField("window_minutes", 10_080);
        json.writeNumberField("resets_at", clock / 1000 + random.nextInt(600_000));
        json.writeEndObject();
        json.writeNullField("plan_type");
        json.writeEndObject();
        endPayload();
    }

    private static void usage(JsonGenerator json, String name, long input, long cached, long output, long reasoning)
            throws IOException
    {
        json.writeObjectFieldStart(name);
        json.writeNumberField("input_tokens", input);
        json.writeNumberField("cached_input_tokens", cached);
        json.writeNumberField("output_tokens", output);
        json.writeNumberField("reasoning_output_tokens", reasoning);
        json.writeNumberField("total_tokens", input + output);
        json.writeEndObject();
    }

    private void reasoning()
            throws IOException
    {
        String summary = "**" + text.sentence(random) + "**\n\n" + text.prose(random, (int) Draws.logUniform(random, 60, 800));
        JsonGenerator json = event("agent_reasoning");
        json.writeStringField("text", summary);
        endPayload();
        json = responseItem("reasoning");
        json.writeArrayFieldStart("summary");
        json.writeStartObject();
        json.writeStringField("type", "summary_text");
        json.writeStringField("text", summary);
        json.writeEndObject();
        json.writeEndArray();
        json.writeNullField("content");
        json.writeStringField("encrypted_content", "gAAAAA" + text.base64(random, (int) Draws.logUniform(random, 800, 8_000)));
        endPayload();
    }

    /** Writes a tool call; returns the call awaiting its output, or null for a call without one (web search). */
    private PendingCall toolCall(boolean spawnAllowed)
            throws IOException
    {
        String callId = "call_" + text.alphanumeric(random, 24);
        int kind = random.nextInt(100);
        if (spawnAllowed && kind < 1) {
            JsonGenerator json = responseItem("function_call");
            json.writeStringField("name", "spawn_agent");
            json.writeStringField("arguments", arguments(generator -> generator.writeStringField("task", text.sentence(random))));
            json.writeStringField("call_id", callId);
            endPayload();
            return new PendingCall(CallKind.SPAWN, callId);
        }
        if (kind < 8) {
            JsonGenerator json = responseItem("web_search_call");
            json.writeStringField("status", "completed");
            endPayload();
            return null;
        }
        if (kind < 28) {
            JsonGenerator json = responseItem("custom_tool_call");
            json.writeStringField("status", "completed");
            json.writeStringField("call_id", callId);
            json.writeStringField("name", "apply_patch");
            json.writeStringField("input", "*** Begin Patch\n*** Update File: " + text.filePath(random, "").substring(1) + "\n@@\n"
                    + diffLines(text.code(random, (int) Draws.logUniform(random, 200, 4_000))) + "\n*** End Patch");
            endPayload();
            return new PendingCall(CallKind.PATCH, callId);
        }
        if (kind < 36) {
            JsonGenerator json = responseItem("function_call");
            json.writeStringField("name", "update_plan");
            json.writeStringField("arguments", arguments(generator -> {
                generator.writeArrayFieldStart("plan");
                for (int i = 2 + random.nextInt(3); i > 0; i--) {
                    generator.writeStartObject();
                    generator.writeStringField("step", text.sentence(random));
                    generator.writeStringField("status", pick(random, new String[] {"pending", "in_progress", "completed"}));
                    generator.writeEndObject();
                }
                generator.writeEndArray();
            }));
            json.writeStringField("call_id", callId);
            endPayload();
            return new PendingCall(CallKind.PLAN, callId);
        }
        if (kind < 40) {
            JsonGenerator json = responseItem("function_call");
            json.writeStringField("name", "mcp__github__get_issue");
            json.writeStringField("arguments", arguments(generator -> {
                generator.writeStringField("owner", "example");
                generator.writeStringField("repo", text.identifier(random));
                generator.writeNumberField("issue_number", random.nextInt(1_000));
            }));
            json.writeStringField("call_id", callId);
            endPayload();
            return new PendingCall(CallKind.MCP, callId);
        }
        String command = pick(random, COMMANDS);
        JsonGenerator json = responseItem("function_call");
        json.writeStringField("name", execCommand ? "exec_command" : "shell");
        json.writeStringField("arguments", arguments(generator -> {
            if (execCommand) {
                generator.writeStringField("cmd", command);
                generator.writeStringField("workdir", cwd);
                generator.writeNumberField("yield_time_ms", 10_000);
            }
            else {
                generator.writeArrayFieldStart("command");
                generator.writeString("bash");
                generator.writeString("-lc");
                generator.writeString(command);
                generator.writeEndArray();
                generator.writeStringField("workdir", cwd);
                generator.writeNumberField("timeout_ms", 120_000);
            }
        }));
        json.writeStringField("call_id", callId);
        endPayload();
        return new PendingCall(CallKind.EXEC, callId);
    }

    private void toolOutput(PendingCall call, long bytesLeft)
            throws IOException
    {
        clock += 200 + Draws.logUniform(random, 10, 30_000);
        String output;
        String type = "function_call_output";
        switch (call.kind) {
            case EXEC -> {
                int exitCode = chance(random, 0.08) ? 1 + random.nextInt(2) : 0;
                String plainLog = text.log(random, Draws.toolOutputChars(random, bytesLeft, 80, 6_000));
                String log = chance(random, 0.006) ? TextSource.withNul(random, plainLog) : plainLog;
                double seconds = random.nextInt(300) / 10.0;
                output = execCommand
                        ? "Chunk ID: " + text.hex(random, 6) + "\nWall time: " + seconds + " seconds\nProcess exited with code " + exitCode
                                + "\nOriginal token count: " + log.length() / 4 + "\nOutput:\n" + log
                        : arguments(generator -> {
                            generator.writeStringField("output", log);
                            generator.writeObjectFieldStart("metadata");
                            generator.writeNumberField("exit_code", exitCode);
                            generator.writeNumberField("duration_seconds", seconds);
                            generator.writeEndObject();
                        });
            }
            case PATCH -> {
                type = "custom_tool_call_output";
                output = "{\"output\":\"Success. Updated the following files:\\nM " + text.filePath(random, "").substring(1)
                        + "\\n\",\"metadata\":{\"exit_code\":0,\"duration_seconds\":0.0}}";
            }
            case PLAN -> output = "Plan updated";
            case MCP -> output = jsonText(generator -> {
                generator.writeStartArray();
                generator.writeStartObject();
                generator.writeStringField("type", "text");
                generator.writeStringField("text", text.prose(random, 100 + random.nextInt(1_500)));
                generator.writeEndObject();
                generator.writeEndArray();
            });
            case SPAWN -> {
                String childId = TextSource.uuidV7(random, clock);
                spawnSubagent(childId, Math.min(bytesLeft / 3, Draws.logUniform(random, 15_000, 200_000)));
                output = "Spawned agent " + childId + ". It finished with: " + text.prose(random, 200 + random.nextInt(1_500));
            }
            default -> throw new IllegalStateException("unknown tool call kind " + call.kind);
        }
        JsonGenerator json = responseItem(type);
        json.writeStringField("call_id", call.callId);
        json.writeStringField("output", output);
        endPayload();
    }

    /** A sub-agent's own rollout; it is written before the parent's tool output that reports it. */
    private void spawnSubagent(String childId, long targetBytes)
            throws IOException
    {
        CodexRolloutWriter child = new CodexRolloutWriter(text, random, sessionsRoot, childId, cwd, cliVersion, model, clock);
        child.writeRollout(targetBytes, false, threadId);
        clock = child.clock;
        files.addAll(child.files);
        closedBytes += child.closedBytes;
        closedLines += child.closedLines;
    }

    private void compaction()
            throws IOException
    {
        JsonGenerator json = line("compacted");
        json.writeStringField("message", "");
        json.writeArrayFieldStart("replacement_history");
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            for (String role : new String[] {"user", "assistant"}) {
                json.writeStartObject();
                json.writeStringField("type", "message");
                json.writeStringField("role", role);
                json.writeArrayFieldStart("content");
                json.writeStartObject();
                json.writeStringField("type", role.equals("user") ? "input_text" : "output_text");
                json.writeStringField("text", text.prose(random, (int) Draws.logUniform(random, 100, 3_000)));
                json.writeEndObject();
                json.writeEndArray();
                json.writeEndObject();
            }
        }
        json.writeEndArray();
        endPayload();
        event("context_compacted");
        endPayload();
        contextTokens = 8_000 + random.nextInt(8_000);
    }

    /** An object's JSON text, its fields written by {@code fields}: tool arguments and JSON-encoded outputs are strings. */
    private static String arguments(JsonBody fields)
            throws IOException
    {
        return jsonText(generator -> {
            generator.writeStartObject();
            fields.write(generator);
            generator.writeEndObject();
        });
    }

    private static String jsonText(JsonBody value)
            throws IOException
    {
        StringWriter buffer = new StringWriter(256);
        try (JsonGenerator generator = JSON.createGenerator(buffer)) {
            value.write(generator);
        }
        return buffer.toString();
    }

    private static String diffLines(String code)
    {
        StringBuilder diff = new StringBuilder(code.length() + 64);
        int index = 0;
        for (String codeLine : code.split("\n", -1)) {
            diff.append(index++ % 3 == 0 ? '-' : '+').append(codeLine).append('\n');
        }
        diff.setLength(diff.length() - 1);
        return diff.toString();
    }

    @FunctionalInterface
    private interface JsonBody
    {
        void write(JsonGenerator generator)
                throws IOException;
    }

    /** What an appended turn continues from: the rollout's identity, model, clock and cumulative token totals. */
    private record RolloutState(String threadId, String cwd, String cliVersion, String model, long epochMillis,
            long totalInput, long totalCached, long totalOutput, long totalReasoning)
    {
        static RolloutState read(Path rollout)
                throws IOException
        {
            String threadId = null;
            String cwd = null;
            String cliVersion = "0.135.0";
            String model = MODELS[0];
            long epochMillis = 0;
            long[] totals = new long[4];
            try (BufferedReader reader = Files.newBufferedReader(rollout, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    try (JsonParser parser = JSON.createParser(line)) {
                        Envelope envelope = Envelope.read(parser, totals);
                        if (envelope.timestamp != null) {
                            epochMillis = Math.max(epochMillis, Instant.parse(envelope.timestamp).toEpochMilli());
                        }
                        if (threadId == null && envelope.id != null) {
                            threadId = envelope.id;
                            cwd = envelope.cwd;
                            cliVersion = envelope.cliVersion == null ? cliVersion : envelope.cliVersion;
                        }
                        if (envelope.model != null) {
                            model = envelope.model;
                        }
                    }
                }
            }
            if (threadId == null || cwd == null) {
                throw new IOException("no session_meta with id and cwd in " + rollout);
            }
            return new RolloutState(threadId, cwd, cliVersion, model, epochMillis, totals[0], totals[1], totals[2], totals[3]);
        }
    }

    /** The few fields of one rollout line that a continuation needs; token totals go straight into {@code totals}. */
    private static final class Envelope
    {
        private String timestamp;
        private String id;
        private String cwd;
        private String cliVersion;
        private String model;

        static Envelope read(JsonParser parser, long[] totals)
                throws IOException
        {
            Envelope envelope = new Envelope();
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return envelope;
            }
            String type = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("timestamp")) {
                    envelope.timestamp = parser.getText();
                }
                else if (name.equals("type")) {
                    type = parser.getText();
                }
                else if (name.equals("payload") && parser.currentToken() == JsonToken.START_OBJECT) {
                    // the envelope writes type before payload, as Codex does
                    envelope.payload(parser, type, totals);
                }
                else {
                    parser.skipChildren();
                }
            }
            return envelope;
        }

        private void payload(JsonParser parser, String type, long[] totals)
                throws IOException
        {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("session_meta".equals(type) && value == JsonToken.VALUE_STRING && name.equals("id")) {
                    id = parser.getText();
                }
                else if ("session_meta".equals(type) && value == JsonToken.VALUE_STRING && name.equals("cwd")) {
                    cwd = parser.getText();
                }
                else if ("session_meta".equals(type) && value == JsonToken.VALUE_STRING && name.equals("cli_version")) {
                    cliVersion = parser.getText();
                }
                else if ("turn_context".equals(type) && value == JsonToken.VALUE_STRING && name.equals("model")) {
                    model = parser.getText();
                }
                else if ("event_msg".equals(type) && name.equals("info") && value == JsonToken.START_OBJECT) {
                    info(parser, totals);
                }
                else {
                    parser.skipChildren();
                }
            }
        }

        private static void info(JsonParser parser, long[] totals)
                throws IOException
        {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (!name.equals("total_token_usage")) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    switch (field) {
                        case "input_tokens" -> totals[0] = parser.getLongValue();
                        case "cached_input_tokens" -> totals[1] = parser.getLongValue();
                        case "output_tokens" -> totals[2] = parser.getLongValue();
                        case "reasoning_output_tokens" -> totals[3] = parser.getLongValue();
                        default -> parser.skipChildren();
                    }
                }
            }
        }
    }
}
