package dev.tracewh.devtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.TraceFormat;
import dev.tracewh.load.LoadListener;
import dev.tracewh.load.LoadOptions;
import dev.tracewh.load.LoadReport;
import dev.tracewh.load.Loader;
import dev.tracewh.load.SourceRoot;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.testing.TestDatabase;
import dev.tracewh.warehouse.LoadRunStore;
import dev.tracewh.warehouse.Warehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorpusGeneratorTest
{
    private static final ObjectMapper MAPPER = JsonLines.newMapper();

    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(CorpusFormat.class)
    void generatedCorpusParsesWithoutIssues(CorpusFormat format)
            throws IOException
    {
        Path root = temp.resolve("corpus");
        CorpusGenerator.generate(new CorpusGenerator.Request(format, 8_000_000, false, 7), root);

        List<Trace> traces = new ArrayList<>();
        boolean nulEscapes = false;
        for (Path file : format.traceFormat().discover(root)) {
            nulEscapes |= Files.readString(file).contains("\\u0000");
            ParsedFile parsed = parse(format.traceFormat(), file);
            assertEquals(List.of(), parsed.issues(), () -> "issues in " + file);
            assertEquals(Files.size(file), parsed.consumedBytes(), () -> "unconsumed bytes in " + file);
            assertEquals(1, parsed.traces().size(), () -> "traces in " + file);
            traces.addAll(parsed.traces());
        }
        List<Message> messages = traces.stream().flatMap(trace -> trace.messages().stream()).toList();
        List<ToolCall> toolCalls = traces.stream().flatMap(trace -> trace.toolCalls().stream()).toList();
        assertTrue(traces.stream().anyMatch(Trace::isSidechain), "no sub-agent traces");
        assertTrue(toolCalls.stream().anyMatch(call -> Boolean.TRUE.equals(call.isError())), "no failed tool calls");
        assertTrue(toolCalls.stream().allMatch(call -> call.resultOrdinal() != null), "tool calls without results");
        assertTrue(traces.stream().allMatch(trace -> !trace.tokenUsage().isEmpty()), "traces without token usage");
        assertTrue(messages.stream().anyMatch(message -> message.reasoningContent() != null), "no reasoning");
        assertTrue(messages.stream().anyMatch(message -> message.text() != null && message.text().length() > 20_000), "no long outputs");
        assertTrue(nulEscapes, "no NUL escapes");
        assertTrue(messages.stream().anyMatch(message -> message.text() != null && message.text().contains("✅")), "no non-ASCII text");
        if (format == CorpusFormat.CLAUDE_CODE) {
            assertTrue(messages.stream().anyMatch(Message::isCompactSummary), "no compaction");
            assertTrue(messages.stream().anyMatch(Message::isSynthetic), "no <synthetic> API errors");
            assertTrue(messages.stream().anyMatch(message -> message.apiMessageId() != null && message.lineNumber() > 0), "no API responses");
        }
        else {
            assertTrue(traces.stream().anyMatch(trace -> trace.sourceMeta().toString().contains("compacted")), "no compaction");
        }
    }

    @ParameterizedTest
    @EnumSource(CorpusFormat.class)
    void sizeAndFileCountMatchTheRequest(CorpusFormat format)
            throws IOException
    {
        Path root = temp.resolve("corpus");
        CorpusGenerator.Manifest manifest = CorpusGenerator.generate(new CorpusGenerator.Request(format, 5_000_000, false, 3), root);

        List<Path> files = jsonLinesFiles(root);
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        assertEquals(manifest.files(), files.size());
        assertEquals(manifest.bytes(), bytes);
        assertEquals(5_000_000, bytes, 5_000_000 * 0.03);
        assertEquals(files.size(), format.traceFormat().discover(root).size());
        assertTrue(manifest.sessions() >= 5, "sessions: " + manifest.sessions());
    }

    @ParameterizedTest
    @EnumSource(CorpusFormat.class)
    void singleFileSizeWritesOneSessionFile(CorpusFormat format)
            throws IOException
    {
        Path root = temp.resolve("single");
        CorpusGenerator.Manifest manifest = CorpusGenerator.generate(new CorpusGenerator.Request(format, 3_000_000, true, 5), root);

        List<Path> files = jsonLinesFiles(root);
        assertEquals(1, files.size());
        assertEquals(1, manifest.sessions());
        assertEquals(3_000_000, Files.size(files.getFirst()), 3_000_000 * 0.03);
    }

    @ParameterizedTest
    @EnumSource(CorpusFormat.class)
    void sameSeedWritesIdenticalBytes(CorpusFormat format)
            throws IOException
    {
        Map<String, String> first = digests(generateInto(format, 11, "first"));
        Map<String, String> second = digests(generateInto(format, 11, "second"));
        Map<String, String> otherSeed = digests(generateInto(format, 12, "other"));

        assertEquals(first, second);
        assertNotEquals(first.values().stream().sorted().toList(), otherSeed.values().stream().sorted().toList());
    }

    @ParameterizedTest
    @EnumSource(CorpusFormat.class)
    void appendedTurnsContinueTheirSessions(CorpusFormat format)
            throws IOException
    {
        Path root = generateInto(format, 9, "append");
        List<Path> files = format.traceFormat().discover(root).subList(0, 3);
        List<Trace> before = new ArrayList<>();
        for (Path file : files) {
            before.add(parse(format.traceFormat(), file).traces().getFirst());
        }

        GeneratedFiles appended = CorpusGenerator.appendTurns(format, files, 42);

        assertEquals(0, appended.files());
        assertTrue(appended.lines() >= 3 * 3, "lines appended: " + appended.lines());
        for (int i = 0; i < files.size(); i++) {
            ParsedFile parsed = parse(format.traceFormat(), files.get(i));
            assertEquals(List.of(), parsed.issues());
            Trace after = parsed.traces().getFirst();
            assertEquals(before.get(i).traceId(), after.traceId());
            assertTrue(after.messageCount() > before.get(i).messageCount());
            assertTrue(after.tokenUsage().size() > before.get(i).tokenUsage().size());
            assertTrue(after.endedAt().isAfter(before.get(i).endedAt()));
        }
    }

    @ParameterizedTest
    @EnumSource(CorpusFormat.class)
    void smallCorpusLoadsIntoH2(CorpusFormat format)
            throws IOException
    {
        Path root = temp.resolve("corpus");
        CorpusGenerator.Manifest manifest = CorpusGenerator.generate(new CorpusGenerator.Request(format, 3_000_000, false, 21), root);
        List<SourceRoot> roots = List.of(new SourceRoot(format.traceFormat(), root));

        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2);
                Warehouse warehouse = database.open()) {
            Loader loader = new Loader(warehouse, "test");
            LoadReport first = loader.load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
            assertEquals(LoadRunStore.Status.SUCCEEDED, first.status());
            assertEquals(manifest.files(), first.files().loaded());
            assertEquals(0, first.files().errors());
            assertEquals(manifest.bytes(), first.files().bytesRead());
            assertTrue(first.messages() > 300, "messages: " + first.messages());

            LoadReport unchanged = loader.load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
            assertEquals(manifest.files(), unchanged.files().unchanged());
            assertEquals(0, unchanged.rows().rowsChanged());

            CorpusGenerator.appendTurns(format, format.traceFormat().discover(root).subList(0, 1), 1);
            LoadReport grown = loader.load(roots, LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
            assertEquals(LoadRunStore.Status.SUCCEEDED, grown.status());
            assertEquals(1, grown.files().loaded());
            assertEquals(1, grown.rows().tracesUpdated());
            assertTrue(grown.rows().messagesInserted() >= 3, "messages inserted: " + grown.rows().messagesInserted());
            assertEquals(0, grown.rows().messagesDeleted());
        }
    }

    /** Measured on the real sessions in ../shared/fixtures/claude_code: toolUseResult is 34 % of their bytes. */
    @Test
    void claudeCodeToolResultsCarryTheirStructuredCopyAtTheShareRealSessionsHave()
            throws IOException
    {
        Path root = temp.resolve("corpus");
        CorpusGenerator.generate(new CorpusGenerator.Request(CorpusFormat.CLAUDE_CODE, 8_000_000, false, 5), root);

        long bytes = 0;
        long copyBytes = 0;
        Set<String> tools = new HashSet<>();
        Map<String, String> toolNames = new HashMap<>();
        for (Path file : jsonLinesFiles(root)) {
            for (String line : Files.readAllLines(file)) {
                bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
                JsonNode node = MAPPER.readTree(line);
                for (JsonNode block : node.path("message").path("content")) {
                    if (block.path("type").asText().equals("tool_use")) {
                        toolNames.put(block.path("id").asText(), block.path("name").asText());
                    }
                    if (block.path("type").asText().equals("tool_result")) {
                        assertTrue(node.has("toolUseResult"), () -> "a tool result without its copy in " + file);
                        tools.add(toolNames.get(block.path("tool_use_id").asText()));
                    }
                }
                if (node.has("toolUseResult")) {
                    copyBytes += MAPPER.writeValueAsBytes(node.get("toolUseResult")).length;
                }
            }
        }
        assertEquals(0.34, (double) copyBytes / bytes, 0.06);
        assertTrue(tools.containsAll(List.of("Read", "Bash", "Edit", "Write", "Grep", "Glob", "TodoWrite")), "tools: " + tools);
    }

    /**
     * A fifth of the responses write a quarter to all of their cache writes with a 1-hour TTL (cache_creation splits
     * them from the 5-minute ones, which make up the rest), so benchmarks and price checks meet both rates; the
     * parser keeps each response's 1-hour part.
     */
    @Test
    void aFifthOfClaudeCodeResponsesWriteTheirCacheForAnHour()
            throws IOException
    {
        Path root = temp.resolve("corpus");
        CorpusGenerator.generate(new CorpusGenerator.Request(CorpusFormat.CLAUDE_CODE, 8_000_000, false, 5), root);

        Map<String, Long> oneHourByResponse = new HashMap<>();
        long parsedOneHour = 0;
        for (Path file : jsonLinesFiles(root)) {
            for (String line : Files.readAllLines(file)) {
                JsonNode message = MAPPER.readTree(line).path("message");
                JsonNode usage = message.path("usage");
                if (!usage.has("cache_creation")) {
                    continue;
                }
                long oneHour = usage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong();
                assertEquals(usage.path("cache_creation_input_tokens").asLong(), usage.path("cache_creation").path("ephemeral_5m_input_tokens").asLong() + oneHour,
                        () -> "5-minute and 1-hour writes make up the cache writes: " + line);
                oneHourByResponse.put(message.path("id").asText(), oneHour);
            }
            parsedOneHour += parse(CorpusFormat.CLAUDE_CODE.traceFormat(), file).traces().stream()
                    .flatMap(trace -> trace.tokenUsage().stream()).mapToLong(TokenUsage::cacheCreation1hInputTokens).sum();
        }
        long withOneHour = oneHourByResponse.values().stream().filter(oneHour -> oneHour > 0).count();
        assertEquals(0.2, (double) withOneHour / oneHourByResponse.size(), 0.04, withOneHour + " of " + oneHourByResponse.size() + " responses");
        assertEquals(oneHourByResponse.values().stream().mapToLong(Long::longValue).sum(), parsedOneHour);
    }

    /**
     * 2.1.x writes each call of a response on its own line with the call's result right after it; 2.0.x writes the
     * results after the response. Either way the response is one assistant message followed by its tool messages.
     */
    @Test
    void claudeCodeParallelCallsHaveTheirResultsBetweenTheResponsesLinesIn21x()
            throws IOException
    {
        Path root = temp.resolve("corpus");
        // seed 3 writes sessions of both layouts
        CorpusGenerator.generate(new CorpusGenerator.Request(CorpusFormat.CLAUDE_CODE, 3_000_000, false, 3), root);

        Map<String, Integer> parallelResponses = new TreeMap<>();
        for (Path file : CorpusFormat.CLAUDE_CODE.traceFormat().discover(root)) {
            String era = null;
            Map<String, Integer> callLines = new HashMap<>();
            Set<String> resultsBetween = new HashSet<>();
            String lastCaller = null;
            boolean resultSinceLastCall = false;
            for (String line : Files.readAllLines(file)) {
                JsonNode node = MAPPER.readTree(line);
                era = node.has("version") ? node.get("version").asText().substring(0, 3) : era;
                String block = node.path("message").path("content").path(0).path("type").asText();
                if (block.equals("tool_use")) {
                    String response = node.path("message").path("id").asText();
                    if (response.equals(lastCaller) && resultSinceLastCall) {
                        resultsBetween.add(response);
                    }
                    callLines.merge(response, 1, Integer::sum);
                    lastCaller = response;
                    resultSinceLastCall = false;
                }
                resultSinceLastCall |= block.equals("tool_result");
            }
            Trace trace = parse(CorpusFormat.CLAUDE_CODE.traceFormat(), file).traces().getFirst();
            for (Map.Entry<String, Integer> response : callLines.entrySet()) {
                List<Message> messages = trace.messages().stream().filter(message -> response.getKey().equals(message.apiMessageId())).toList();
                assertEquals(1, messages.size(), () -> response.getKey() + " in " + file);
                int ordinal = messages.getFirst().ordinal();
                List<ToolCall> calls = trace.toolCalls().stream().filter(call -> call.messageOrdinal() == ordinal).toList();
                assertEquals((int) response.getValue(), calls.size());
                assertEquals(calls.stream().map(call -> ordinal + 1 + call.callIndex()).toList(), calls.stream().map(ToolCall::resultOrdinal).toList(),
                        "tool messages follow the response in call order");
                if (calls.size() > 1) {
                    parallelResponses.merge(era + (resultsBetween.contains(response.getKey()) ? " results between" : " results after"), 1, Integer::sum);
                }
            }
        }
        assertEquals(Set.of("2.0 results after", "2.1 results between"), parallelResponses.keySet(), parallelResponses.toString());
    }

    /**
     * A rewind keeps the rewound turns in the file and parents the replacing prompt to the rewound prompt's parent:
     * the conversation that ends the file leads back to the root through the replacing prompt, past the abandoned
     * branch, whose billed responses and tool calls are still there.
     */
    @Test
    void claudeCodeRewindsLeaveAbandonedBranchesOffTheActivePath()
            throws IOException
    {
        Path root = temp.resolve("corpus");
        CorpusGenerator.generate(new CorpusGenerator.Request(CorpusFormat.CLAUDE_CODE, 8_000_000, false, 3), root);

        record Rewind(JsonNode rewoundPrompt, JsonNode replacingPrompt) {}
        int sessions21 = 0;
        int rewoundSessions = 0;
        int abandonedToolResults = 0;
        for (Path file : CorpusFormat.CLAUDE_CODE.traceFormat().discover(root)) {
            if (file.getFileName().toString().startsWith("agent-")) {
                continue;
            }
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                lines.add(MAPPER.readTree(line));
            }
            boolean version21 = lines.stream().anyMatch(node -> node.path("version").asText().startsWith("2.1."));
            sessions21 += version21 ? 1 : 0;
            Map<String, JsonNode> firstPromptByParent = new HashMap<>();
            List<Rewind> rewinds = new ArrayList<>();
            for (JsonNode prompt : lines.stream().filter(CorpusGeneratorTest::isTypedPrompt).toList()) {
                JsonNode earlier = prompt.path("parentUuid").isTextual() ? firstPromptByParent.putIfAbsent(prompt.path("parentUuid").asText(), prompt) : null;
                if (earlier != null) {
                    rewinds.add(new Rewind(earlier, prompt));
                }
            }
            if (rewinds.isEmpty()) {
                continue;
            }
            assertTrue(version21, () -> "a rewind in a 2.0.x session " + file);
            rewoundSessions++;
            List<JsonNode> messages = lines.stream().filter(node -> Set.of("user", "assistant").contains(node.path("type").asText())).toList();
            JsonNode lastAssistant = messages.reversed().stream().filter(node -> node.path("type").asText().equals("assistant")).findFirst().orElseThrow();
            Set<String> activePath = pathToRoot(lines, lastAssistant);
            assertTrue(activePath.contains(messages.getLast().path("uuid").asText()), () -> "the last message is off the active path in " + file);
            for (Rewind rewind : rewinds) {
                List<JsonNode> abandoned = descendants(lines, rewind.rewoundPrompt());
                assertTrue(activePath.contains(rewind.replacingPrompt().path("uuid").asText()), () -> "replacing prompt off the active path in " + file);
                assertTrue(abandoned.stream().noneMatch(node -> activePath.contains(node.path("uuid").asText())),
                        () -> "the active path passes through an abandoned branch in " + file);
                assertTrue(abandoned.stream().anyMatch(node -> node.path("message").has("usage") && node.has("requestId")),
                        () -> "an abandoned branch without API responses in " + file);
                assertTrue(Instant.parse(rewind.replacingPrompt().path("timestamp").asText())
                                .isAfter(Instant.parse(abandoned.getLast().path("timestamp").asText())),
                        () -> "replacing prompt not later than its abandoned branch in " + file);
                abandonedToolResults += (int) abandoned.stream().filter(node -> node.has("toolUseResult")).count();
            }
        }
        assertTrue(rewoundSessions > 0, "no session with a rewind");
        assertTrue(abandonedToolResults > 0, "no tool results on abandoned branches");
        assertTrue(rewoundSessions < sessions21, "every 2.1.x session rewinds: " + rewoundSessions);
    }

    @Test
    void outputFolderMustBeEmpty()
            throws IOException
    {
        Files.writeString(temp.resolve("existing.txt"), "x");
        assertThrows(IllegalArgumentException.class,
                () -> CorpusGenerator.generate(new CorpusGenerator.Request(CorpusFormat.CODEX, 1_000_000, false, 1), temp));
    }

    @Test
    void projectFoldersFollowClaudeCodesEncoding()
    {
        assertEquals("-Users-yuki-My-Projects-app--v2-", CorpusGenerator.encodeProjectDirectory("/Users/yuki/My Projects/app (v2)"));
        assertEquals("-home-li------", CorpusGenerator.encodeProjectDirectory("/home/li/项目/实验"));
    }

    @Test
    void sizesParseWithDecimalAndBinaryUnits()
    {
        assertEquals(300_000_000, DataSize.parse("300MB").bytes());
        assertEquals(1_500_000_000, DataSize.parse("1.5GB").bytes());
        assertEquals(64 * 1024, DataSize.parse("64KiB").bytes());
        assertEquals(512, DataSize.parse("512").bytes());
        assertThrows(IllegalArgumentException.class, () -> DataSize.parse("12 parsecs"));
    }

    private Path generateInto(CorpusFormat format, long seed, String folder)
            throws IOException
    {
        Path root = temp.resolve(folder);
        CorpusGenerator.generate(new CorpusGenerator.Request(format, 2_000_000, false, seed), root);
        return root;
    }

    /** A prompt the user typed: not a tool result, compaction summary, interruption notice or local command line. */
    private static boolean isTypedPrompt(JsonNode node)
    {
        if (!node.path("type").asText().equals("user") || node.has("toolUseResult") || node.has("isMeta") || node.has("isCompactSummary")) {
            return false;
        }
        JsonNode content = node.path("message").path("content");
        String prompt = content.isTextual() ? content.asText() : content.path(0).path("text").asText();
        return !prompt.startsWith("<") && !prompt.equals("[Request interrupted by user]");
    }

    /** Uuids from {@code leaf} to its root, through compaction boundaries to the line they continue. */
    private static Set<String> pathToRoot(List<JsonNode> lines, JsonNode leaf)
    {
        Map<String, JsonNode> byUuid = new HashMap<>();
        lines.stream().filter(node -> node.has("uuid")).forEach(node -> byUuid.put(node.path("uuid").asText(), node));
        Set<String> path = new HashSet<>();
        for (JsonNode node = leaf; node != null && path.add(node.path("uuid").asText()); ) {
            String parent = node.path("parentUuid").isTextual() ? node.path("parentUuid").asText() : node.path("logicalParentUuid").asText(null);
            node = parent == null ? null : byUuid.get(parent);
        }
        return path;
    }

    /** {@code top} and every line below it in the tree, in file order (a parent precedes its children). */
    private static List<JsonNode> descendants(List<JsonNode> lines, JsonNode top)
    {
        Set<String> uuids = new HashSet<>(Set.of(top.path("uuid").asText()));
        List<JsonNode> branch = new ArrayList<>(List.of(top));
        for (JsonNode node : lines.subList(lines.indexOf(top) + 1, lines.size())) {
            if (uuids.contains(node.path("parentUuid").asText()) && uuids.add(node.path("uuid").asText())) {
                branch.add(node);
            }
        }
        return branch;
    }

    private static ParsedFile parse(TraceFormat format, Path file)
            throws IOException
    {
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
    }

    private static List<Path> jsonLinesFiles(Path root)
            throws IOException
    {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> path.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    /** Relative path to SHA-256 of every file below {@code root}, manifest included. */
    private static Map<String, String> digests(Path root)
            throws IOException
    {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                digests.put(root.relativize(path).toString(), sha256(Files.readAllBytes(path)));
            }
        }
        return digests;
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
