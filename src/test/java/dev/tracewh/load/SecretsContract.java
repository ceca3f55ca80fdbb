package dev.tracewh.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.distill.SftExporter;
import dev.tracewh.distill.SftSelection;
import dev.tracewh.export.TraceExporter;
import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.format.codex.CodexFormat;
import dev.tracewh.secrets.PlantedSecrets;
import dev.tracewh.secrets.SecretFilter;
import dev.tracewh.secrets.SecretRules;
import dev.tracewh.secrets.SecretScanner;
import dev.tracewh.testing.WarehouseContract;
import dev.tracewh.usersql.UserCondition;
import dev.tracewh.warehouse.schema.DefaultSchema;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableOptions;
import org.jooq.impl.DSL;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.tracewh.warehouse.schema.Tables.LOAD_ERRORS;
import static dev.tracewh.warehouse.schema.Tables.LOAD_RUNS;
import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SECRET_FINDINGS;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets planted in Claude Code and Codex sessions (prompts, reasoning, tool arguments and tool results) are found,
 * kept out of every stored text in {@code redact} mode and out of every export, and recorded the same way in
 * {@code detect} mode, which keeps the text.
 */
public abstract class SecretsContract
        extends WarehouseContract
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CLAUDE_SESSION = "5b1c1f5e-0000-4000-8000-00000000c1a0";
    private static final String CODEX_SESSION = "0199a000-0000-7000-8000-00000000c0de";

    @TempDir
    Path sources;

    private List<PlantedSecrets.Planted> planted;
    /** Secrets only their JSON member's name gives away ({"password": "..."}), as an MCP tool's arguments hold them. */
    private List<String> assigned;
    private List<SourceRoot> roots;

    @BeforeEach
    void writeSessions()
            throws IOException
    {
        planted = new PlantedSecrets(20261202L).all();
        java.util.Random random = new java.util.Random(20261202L);
        assigned = java.util.stream.Stream.generate(() -> randomToken(random, 24)).limit(2).toList();
        assertTrue(planted.stream().map(PlantedSecrets.Planted::ruleId).distinct().count() >= 20, "at least 20 kinds of secrets are planted");
        Path claude = sources.resolve("claude");
        Path codex = sources.resolve("codex");
        writeClaudeSession(claude.resolve("-home-dev-project").resolve(CLAUDE_SESSION + ".jsonl"));
        writeCodexRollout(codex.resolve("2026/12/01").resolve("rollout-2026-12-01T10-00-00-" + CODEX_SESSION + ".jsonl"));
        roots = List.of(new SourceRoot(new ClaudeCodeFormat(), claude), new SourceRoot(new CodexFormat(), codex));
    }

    @Test
    void redactModeKeepsEverySecretOutOfTheDatabaseAndRecordsWhereEachWas()
            throws IOException
    {
        LoadReport report = load(SecretsMode.REDACT);

        List<Finding> findings = findings();
        assertEquals(findings.size(), report.rows().secretFindingsWritten());
        assertTrue(findings.stream().allMatch(Finding::redacted));
        for (int i = 0; i < planted.size(); i++) {
            String ruleId = planted.get(i).ruleId();
            for (String toolCallId : List.of("toolu_" + i, "call_" + i)) {
                assertTrue(findings.stream().anyMatch(finding -> finding.field().equals("arguments") && toolCallId.equals(finding.toolCallId())),
                        "the " + ruleId + " secret in the arguments of " + toolCallId + " is found");
            }
        }
        // each secret is in a prompt, a reasoning text, tool arguments and a tool result, in both sessions
        assertTrue(findings.size() >= planted.size() * 8, findings.size() + " findings for " + planted.size() + " secrets in 8 places each");
        // the session's title is its summary: the summary's finding stands for both, and the leak check covers the title
        assertEquals(Set.of("text_content", "reasoning_content", "arguments", "summary"), Set.copyOf(findings.stream().map(Finding::field).toList()));
        assertEquals(2, findings.stream().filter(finding -> finding.field().equals("arguments") && "toolu_json".equals(finding.toolCallId())).count(),
                "secrets given away only by their JSON member's name are found");
        for (Finding finding : findings) {
            assertEquals("[REDACTED:" + finding.ruleId() + "]", span(storedText(finding), finding),
                    "the finding's offsets (in code points) bound its placeholder in the stored " + finding.field());
        }
        assertNoPlantedSecretIn(everyStoredText(), "the database");
        assertEquals("redact", dsl.select(LOAD_RUNS.SECRETS_MODE).from(LOAD_RUNS).where(LOAD_RUNS.RUN_ID.eq(report.runId())).fetchOne().value1());
    }

    @Test
    void detectModeKeepsTheTextAndRecordsTheSameFindings()
            throws IOException
    {
        load(SecretsMode.DETECT);
        List<Finding> detected = findings();
        assertTrue(detected.stream().noneMatch(Finding::redacted));
        for (Finding finding : detected) {
            String span = span(storedText(finding), finding);
            String secret = finding.field().equals("arguments") || finding.field().equals("source_meta") ? MAPPER.readValue("\"" + span + "\"", String.class) : span;
            assertEquals(finding.fingerprint(), sha256(secret), "the finding's offsets bound the secret whose fingerprint it has");
        }
        String stored = everyStoredText();
        assertTrue(planted.stream().allMatch(secret -> stored.contains(secret.secret()) || stored.contains(jsonEscaped(secret.secret()))),
                "detect stores the text as it was");

        dsl.deleteFrom(SESSIONS).execute();
        dsl.deleteFrom(dev.tracewh.warehouse.schema.Tables.SOURCE_FILES).execute();
        load(SecretsMode.REDACT);
        assertEquals(detected.stream().map(Finding::identity).sorted().toList(), findings().stream().map(Finding::identity).sorted().toList(),
                "redact and detect find the same secrets in the same places");
    }

    @Test
    void aLoadInAnotherModeRewritesTheRowsOfUnchangedFiles()
            throws IOException
    {
        load(SecretsMode.DETECT);
        assertTrue(everyStoredText().contains(planted.getFirst().secret()));

        LoadReport redacted = load(SecretsMode.REDACT);
        assertEquals(2, redacted.rows().tracesUpdated(), "both sessions are rewritten, though their files did not change");
        assertNoPlantedSecretIn(everyStoredText(), "the database after a reload in redact mode");
        assertTrue(findings().stream().allMatch(Finding::redacted));

        LoadReport again = load(SecretsMode.REDACT);
        assertEquals(2, again.files().unchanged(), "files stored in the asked mode are not read again");

        load(SecretsMode.OFF);
        assertEquals(0, dsl.fetchCount(SECRET_FINDINGS));
        assertTrue(everyStoredText().contains(planted.getFirst().secret()), "off stores the text as it is");
    }

    @Test
    void exportsRedactWhatDetectModeStoredUnlessSecretsAreKept()
            throws IOException
    {
        load(SecretsMode.DETECT);
        SecretFilter filter = SecretFilter.redacting(SecretScanner.of(SecretRules.defaults()));
        ByteArrayOutputStream traces = new ByteArrayOutputStream();
        assertEquals(2, new TraceExporter(dsl, MAPPER, filter, false).export(DSL.noCondition(), traces));
        assertNoPlantedSecretIn(traces.toString(StandardCharsets.UTF_8), "export traces");
        assertTrue(filter.redacted() >= planted.size() * 6, filter.redacted() + " secrets redacted on the way out");

        SecretFilter sftFilter = SecretFilter.redacting(SecretScanner.of(SecretRules.defaults()));
        ByteArrayOutputStream sft = new ByteArrayOutputStream();
        new SftExporter(dsl, dsl, MAPPER).export(new SftSelection(Optional.of(UserCondition.parse("message_count > 0", dsl.dialect())), List.of(),
                true, true, false), "memory", sft, sftFilter);
        assertFalse(sft.toString(StandardCharsets.UTF_8).isEmpty());
        assertNoPlantedSecretIn(sft.toString(StandardCharsets.UTF_8), "export sft");
        assertTrue(sftFilter.redacted() > 0);

        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        new TraceExporter(dsl, MAPPER, SecretFilter.keepingSecrets(), false).export(DSL.noCondition(), kept);
        assertTrue(kept.toString(StandardCharsets.UTF_8).contains(jsonEscaped(planted.getFirst().secret())), "--keep-secrets writes the text as stored");
    }

    @Test
    void exportsOfARedactedWarehouseHaveNothingLeftToRedact()
            throws IOException
    {
        load(SecretsMode.REDACT);
        SecretFilter filter = SecretFilter.redacting(SecretScanner.of(SecretRules.defaults()));
        ByteArrayOutputStream traces = new ByteArrayOutputStream();
        new TraceExporter(dsl, MAPPER, filter, false).export(DSL.noCondition(), traces);
        assertEquals(0, filter.redacted(), "a placeholder is not taken for a secret");
        assertNoPlantedSecretIn(traces.toString(StandardCharsets.UTF_8), "export traces");
    }

    @Test
    void errorExcerptsAreRedacted()
            throws IOException
    {
        Path file = sources.resolve("claude/-home-dev-project").resolve(CLAUDE_SESSION + ".jsonl");
        // lines cut off after a secret, which the parser cannot read: their excerpts (the first 200 characters) are
        // stored; the private key is longer than an excerpt, so its excerpt is cut inside it
        StringBuilder broken = new StringBuilder();
        for (PlantedSecrets.Planted secret : planted) {
            broken.append("{\"type\":\"user\",\"message\":{\"content\":").append(MAPPER.writeValueAsString("x".repeat(150) + " " + secret.text()))
                    .append('\n');
        }
        Files.writeString(file, broken, java.nio.file.StandardOpenOption.APPEND);
        load(SecretsMode.REDACT);

        List<String> errors = dsl.select(LOAD_ERRORS.MESSAGE, LOAD_ERRORS.EXCERPT).from(LOAD_ERRORS).fetch()
                .map(row -> row.value1() + " " + row.value2());
        assertEquals(planted.size(), errors.size(), "each broken line is an error");
        assertNoPlantedSecretIn(String.join("\n", errors), "load_errors");
    }

    private LoadReport load(SecretsMode mode)
            throws IOException
    {
        return new Loader(warehouse, "test").load(roots, LoadOptions.INCREMENTAL.withSecrets(mode, SecretRules.defaults()), "test", LoadListener.NONE);
    }

    private void writeClaudeSession(Path file)
            throws IOException
    {
        List<String> lines = new ArrayList<>();
        Instant clock = Instant.parse("2026-12-01T10:00:00Z");
        for (int i = 0; i < planted.size(); i++) {
            String text = planted.get(i).text();
            String toolUseId = "toolu_" + i;
            clock = clock.plusSeconds(10);
            ObjectNode prompt = claudeLine("user", i * 3, clock);
            prompt.putObject("message").put("role", "user").put("content", "Please use this: " + text);
            ObjectNode response = claudeLine("assistant", i * 3 + 1, clock.plusSeconds(1)).put("requestId", "req_" + i);
            ObjectNode message = response.putObject("message").put("id", "msg_" + i).put("type", "message").put("role", "assistant").put("model", "claude-sonnet-4-5");
            var content = message.putArray("content");
            content.addObject().put("type", "thinking").put("thinking", "The user gave me " + text + " so I will run it.").put("signature", "EqQBCkYIBxgCKkB" + i);
            // two text blocks, the secret in the second, after characters outside the BMP: offsets count code points
            content.addObject().put("type", "text").put("text", "Running it \uD83D\uDE80 now.");
            content.addObject().put("type", "text").put("text", "\uD83D\uDD11 " + text);
            content.addObject().put("type", "tool_use").put("id", toolUseId).put("name", "Bash").putObject("input").put("command", text);
            message.putObject("usage").put("input_tokens", 10).put("output_tokens", 1);
            ObjectNode result = claudeLine("user", i * 3 + 2, clock.plusSeconds(2));
            result.putObject("message").put("role", "user").putArray("content").addObject()
                    .put("type", "tool_result").put("tool_use_id", toolUseId).put("content", "$ cat .env\n" + text + "\n");
            lines.add(prompt.toString());
            lines.add(response.toString());
            lines.add(result.toString());
        }
        ObjectNode call = claudeLine("assistant", planted.size() * 3, clock.plusSeconds(20)).put("requestId", "req_json");
        ObjectNode message = call.putObject("message").put("id", "msg_json").put("type", "message").put("role", "assistant").put("model", "claude-sonnet-4-5");
        ObjectNode input = message.putArray("content").addObject().put("type", "tool_use").put("id", "toolu_json").put("name", "mcp__db__connect")
                .putObject("input").put("host", "db.internal").put("password", assigned.get(0));
        input.putObject("env").put("API_KEY", assigned.get(1));
        lines.add(call.toString());
        // the session's summary (and so its title) holds a secret too
        lines.add(MAPPER.createObjectNode().put("type", "summary").put("summary", "Deploy with " + planted.getFirst().text()).put("leafUuid", "line-1").toString());
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    private static String randomToken(java.util.Random random, int length)
    {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < length; i++) {
            token.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return token.toString();
    }

    private static ObjectNode claudeLine(String type, int index, Instant timestamp)
    {
        return MAPPER.createObjectNode()
                .put("type", type)
                .put("uuid", "line-" + index)
                .put("parentUuid", index == 0 ? null : "line-" + (index - 1))
                .put("sessionId", CLAUDE_SESSION)
                .put("timestamp", timestamp.toString())
                .put("cwd", "/home/dev/project")
                .put("version", "2.1.42");
    }

    private void writeCodexRollout(Path file)
            throws IOException
    {
        List<String> lines = new ArrayList<>();
        Instant clock = Instant.parse("2026-12-01T10:00:00Z");
        lines.add(codexLine("session_meta", clock, MAPPER.createObjectNode().put("id", CODEX_SESSION).put("cwd", "/home/dev/project")));
        for (int i = 0; i < planted.size(); i++) {
            String text = planted.get(i).text();
            clock = clock.plusSeconds(10);
            ObjectNode prompt = MAPPER.createObjectNode().put("type", "message").put("role", "user");
            prompt.putArray("content").addObject().put("type", "input_text").put("text", "Please use this: " + text);
            ObjectNode reasoning = MAPPER.createObjectNode().put("type", "reasoning").put("encrypted_content", "gAAAAABo" + i);
            reasoning.putArray("summary").addObject().put("type", "summary_text").put("text", "The user gave me " + text);
            ObjectNode arguments = MAPPER.createObjectNode();
            arguments.putArray("command").add("bash").add("-lc").add(text);
            ObjectNode call = MAPPER.createObjectNode().put("type", "function_call").put("name", "shell").put("arguments", arguments.toString()).put("call_id", "call_" + i);
            ObjectNode output = MAPPER.createObjectNode().put("type", "function_call_output").put("call_id", "call_" + i).put("output", "$ cat .env\n" + text + "\n");
            lines.add(codexLine("response_item", clock, prompt));
            lines.add(codexLine("response_item", clock.plusSeconds(1), reasoning));
            lines.add(codexLine("response_item", clock.plusSeconds(2), call));
            lines.add(codexLine("response_item", clock.plusSeconds(3), output));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    private static String codexLine(String type, Instant timestamp, ObjectNode payload)
    {
        ObjectNode line = MAPPER.createObjectNode().put("timestamp", timestamp.toString()).put("type", type);
        line.set("payload", payload);
        return line.toString();
    }

    private record Finding(String traceId, String field, Integer messageOrdinal, String toolCallId, int start, int end, String ruleId,
                           String fingerprint, boolean redacted)
    {
        /** Where and what, without the offsets (which differ between a redacted and a verbatim text). */
        String identity()
        {
            return String.join("|", traceId, field, String.valueOf(messageOrdinal), String.valueOf(toolCallId), ruleId, fingerprint);
        }
    }

    private List<Finding> findings()
    {
        return dsl.select(SECRET_FINDINGS.TRACE_ID, SECRET_FINDINGS.FIELD, SECRET_FINDINGS.MESSAGE_ORDINAL, SECRET_FINDINGS.TOOL_CALL_ID,
                        SECRET_FINDINGS.START_OFFSET, SECRET_FINDINGS.END_OFFSET, SECRET_FINDINGS.RULE_ID, SECRET_FINDINGS.FINGERPRINT, SECRET_FINDINGS.REDACTED)
                .from(SECRET_FINDINGS)
                .fetch(row -> new Finding(row.value1(), row.value2(), row.value3(), row.value4(), row.value5(), row.value6(), row.value7(), row.value8(), row.value9()));
    }

    /** The stored text a finding points into. */
    private String storedText(Finding finding)
    {
        return switch (finding.field()) {
            case "text_content", "reasoning_content" -> dsl.select(finding.field().equals("text_content") ? MESSAGES.TEXT_CONTENT : MESSAGES.REASONING_CONTENT)
                    .from(MESSAGES)
                    .where(MESSAGES.TRACE_ID.eq(finding.traceId()).and(MESSAGES.ORDINAL.eq(finding.messageOrdinal())))
                    .fetchSingle().value1();
            case "arguments", "result_text" -> dsl.select(finding.field().equals("arguments") ? TOOL_CALLS.ARGUMENTS : TOOL_CALLS.RESULT_TEXT)
                    .from(TOOL_CALLS)
                    .where(TOOL_CALLS.TRACE_ID.eq(finding.traceId()).and(TOOL_CALLS.TOOL_CALL_ID.eq(finding.toolCallId())))
                    .fetchSingle().value1();
            case "title", "summary", "source_meta" -> dsl.select(SESSIONS.field(finding.field(), String.class))
                    .from(SESSIONS)
                    .where(SESSIONS.TRACE_ID.eq(finding.traceId()))
                    .fetchSingle().value1();
            default -> throw new AssertionError("unknown field " + finding.field());
        };
    }

    /** Every text column of every table, one value per line. */
    private String everyStoredText()
    {
        StringBuilder text = new StringBuilder();
        for (Table<?> table : DefaultSchema.DEFAULT_SCHEMA.getTables()) {
            if (table.getTableType() != TableOptions.TableType.TABLE) {
                continue;
            }
            List<Field<?>> textFields = new ArrayList<>();
            for (Field<?> field : table.fields()) {
                if (field.getType() == String.class) {
                    textFields.add(field);
                }
            }
            if (textFields.isEmpty()) {
                continue;
            }
            for (Record row : dsl.select(textFields).from(table).fetch()) {
                for (int i = 0; i < row.size(); i++) {
                    text.append(row.get(i)).append('\n');
                }
            }
        }
        return text.toString();
    }

    /** The part of {@code stored} a finding's code point offsets bound. */
    private static String span(String stored, Finding finding)
    {
        return stored.substring(stored.offsetByCodePoints(0, finding.start()), stored.offsetByCodePoints(0, finding.end()));
    }

    /** Not a planted secret, nor any 16 characters of one (a cut excerpt would hold part of it). */
    private void assertNoPlantedSecretIn(String text, String where)
    {
        Set<String> leaked = new HashSet<>();
        List<String> secrets = new ArrayList<>(assigned);
        planted.forEach(secret -> secrets.add(secret.secret()));
        for (String secret : secrets) {
            for (String form : List.of(secret, jsonEscaped(secret))) {
                for (int start = 0; start + 16 <= form.length(); start++) {
                    if (text.contains(form.substring(start, start + 16))) {
                        leaked.add(form.substring(start, start + 16));
                        break;
                    }
                }
            }
        }
        assertEquals(Set.of(), leaked, "planted secrets left in " + where);
    }

    private static String jsonEscaped(String text)
    {
        try {
            String quoted = MAPPER.writeValueAsString(text);
            return quoted.substring(1, quoted.length() - 1);
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String sha256(String text)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
