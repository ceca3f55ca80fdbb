package dev.tracewh.format.claudecode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.testing.SharedFixtures;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the parser over the real transcripts in {@code ../shared/fixtures/claude_code} against what a naive reading
 * of each file says: one assistant message per API response, whatever lines come between the response's lines;
 * each call's result is a tool message after it, in call order; one usage row per response, from its last line, with
 * its 1-hour cache writes.
 */
class ClaudeCodeConformanceTest
{
    private static final String MAIN_2_1_114 = "claude-code-log/real_projects/-experiments-worktrees/ef958aa1-0e93-49f0-bb71-150f63befcd1.jsonl";
    private static final String REWOUND = "claude-code-log/real_projects/-experiments-ideas/03eb5929-52b3-4b13-ada3-b93ae35806b8.jsonl";
    private static final String COMPACTED_AFTER_REWIND = "claude-code-log-synthetic/dag_compact_after_rewind_preserved.jsonl";

    private final ObjectMapper mapper = JsonLines.newMapper();
    private final ClaudeCodeFormat format = new ClaudeCodeFormat();

    @TestFactory
    Stream<DynamicNode> realTranscripts()
            throws IOException
    {
        return SharedFixtures.nodes(this::realTranscriptTests);
    }

    private Stream<DynamicTest> realTranscriptTests()
            throws IOException
    {
        Path root = SharedFixtures.path("claude_code");
        List<Path> files = format.discover(root).stream().sorted().toList();
        assertFalse(files.isEmpty(), "no real transcripts below " + root);
        return files.stream().map(file -> DynamicTest.dynamicTest(root.relativize(file).toString(), () -> realTranscript(file)));
    }

    @Test
    void aResponseWrittenOneLinePerToolCallIsOneMessage()
            throws IOException
    {
        // 2.1.x writes one line per tool call with its result in between; one response is one message since issue 23
        // (before: 81 messages, 36 of them assistant messages, for the same 17 responses and 40 tool calls)
        Trace trace = parse(SharedFixtures.path("claude_code").resolve(MAIN_2_1_114)).traces().getFirst();
        assertEquals(62, trace.messageCount());
        assertEquals(17, trace.messages().stream().filter(message -> message.role() == Role.ASSISTANT).count());
        assertEquals(17, trace.tokenUsage().size());
        assertEquals(40, trace.toolCallCount());
        assertTrue(trace.messages().stream().anyMatch(message -> trace.toolCalls().stream()
                .filter(call -> call.messageOrdinal() == message.ordinal()).count() == 6), "the response with six calls");
    }

    @Test
    void aRewindLeavesTheAbandonedPromptsInTheFileOffTheActivePath()
            throws IOException
    {
        // the user rewound to the second prompt and wrote its opposite ("I actually don't like much this idea"): the
        // three prompts and answers of the first version stay in the file, so message_count is 15 of the 21 messages
        Trace trace = parse(SharedFixtures.path("claude_code").resolve(REWOUND)).traces().getFirst();
        assertEquals(21, trace.messageCount());
        assertEquals(15, trace.activePathMessageCount());
        assertEquals(List.of(6, 7, 8, 9, 10, 11), offThePath(trace));
        assertTrue(trace.messages().subList(6, 12).stream().allMatch(message -> message.branch() == 1));
        assertTrue(trace.finalAssistantMessage().startsWith("The `dev-docs/` vs `work/` split works"), trace.finalAssistantMessage());
    }

    @Test
    void aCompactionThatKeepsTheTailContinuesTheBranchItFollows()
            throws IOException
    {
        // the boundary's logicalParentUuid is its own kept tail, re-parented under the summary: the conversation goes
        // on from the line before that tail, on the second attempt; only the first attempt is abandoned
        Trace trace = parse(SharedFixtures.path("claude_code").resolve(COMPACTED_AFTER_REWIND)).traces().getFirst();
        assertEquals(List.of(2, 3), offThePath(trace));
        assertEquals(List.of("First attempt", "First answer"), trace.messages().subList(2, 4).stream().map(Message::text).toList());
    }

    /**
     * 1-hour cache writes are in two of the real transcripts, both Opus sessions whose prompt cache lived an hour: all
     * their cache writes are 1-hour ones (usage.cache_creation splits them from the 5-minute ones). No other file has any.
     */
    @Test
    void oneHourCacheWritesAreKeptApartFromTheTotal()
            throws IOException
    {
        Path root = SharedFixtures.path("claude_code");
        Map<String, List<Long>> oneHourByFile = new LinkedHashMap<>();
        for (Path file : format.discover(root).stream().sorted().toList()) {
            for (Trace trace : parse(file).traces()) {
                List<TokenUsage> oneHour = trace.tokenUsage().stream().filter(usage -> usage.cacheCreation1hInputTokens() > 0).toList();
                if (!oneHour.isEmpty()) {
                    oneHourByFile.put(root.relativize(file).toString(), List.of((long) oneHour.size(),
                            oneHour.stream().mapToLong(TokenUsage::cacheCreation1hInputTokens).sum(),
                            oneHour.stream().mapToLong(TokenUsage::cacheCreationInputTokens).sum(),
                            (long) trace.tokenUsage().size()));
                }
            }
        }
        // per file: responses with 1-hour writes, their 1-hour writes, all their writes, the file's responses
        assertEquals(Map.of(REWOUND, List.of(9L, 9_036L, 9_036L, 9L), MAIN_2_1_114, List.of(17L, 102_189L, 102_189L, 17L)), oneHourByFile);
        assertEquals(List.of(26L, 111_225L), List.of(oneHourByFile.values().stream().mapToLong(counts -> counts.get(0)).sum(),
                oneHourByFile.values().stream().mapToLong(counts -> counts.get(1)).sum()), "responses with 1-hour writes, and their tokens");
    }

    private static List<Integer> offThePath(Trace trace)
    {
        return trace.messages().stream().filter(message -> !message.isActivePath()).map(Message::ordinal).toList();
    }

    private void realTranscript(Path file)
            throws IOException
    {
        NaiveReading naive = NaiveReading.of(file, mapper);
        ParsedFile parsed = parse(file);
        assertEquals(List.of(), parsed.issues());
        if (!naive.hasSession()) {
            assertEquals(List.of(), parsed.traces());
            return;
        }
        Trace trace = parsed.traces().getFirst();
        List<String> messageResponses = trace.messages().stream()
                .filter(message -> message.role() == Role.ASSISTANT)
                .map(message -> message.apiMessageId() + "/" + message.requestId())
                .toList();
        assertEquals(naive.responses(), messageResponses, "one assistant message per response, in file order");

        assertEquals(List.copyOf(naive.responseOfCall().keySet()), trace.toolCalls().stream().map(ToolCall::toolCallId).toList());
        int previousMessage = -1;
        int previousResult = -1;
        for (ToolCall call : trace.toolCalls()) {
            Message caller = trace.messages().get(call.messageOrdinal());
            assertEquals(naive.responseOfCall().get(call.toolCallId()), caller.apiMessageId() + "/" + caller.requestId(), call.toolCallId());
            if (call.resultOrdinal() == null) {
                continue;
            }
            Message result = trace.messages().get(call.resultOrdinal());
            assertEquals(Role.TOOL, result.role(), call.toolCallId());
            assertEquals(call.toolCallId(), result.toolCallId());
            // 1.0.x writes sub-agent lines inline, so other messages may sit between a call and its result
            assertTrue(call.resultOrdinal() > (call.messageOrdinal() == previousMessage ? previousResult : call.messageOrdinal()),
                    () -> call.toolCallId() + " result in call order after its message");
            previousMessage = call.messageOrdinal();
            previousResult = call.resultOrdinal();
        }

        assertEquals(naive.tokens(), sum(trace.tokenUsage()), "token sums");
        assertEquals(naive.tokenRows(), trace.tokenUsage().size(), "one usage row per response");
    }

    private ParsedFile parse(Path file)
            throws IOException
    {
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
    }

    private static List<Long> sum(List<TokenUsage> usage)
    {
        return List.of(usage.stream().mapToLong(TokenUsage::inputTokens).sum(), usage.stream().mapToLong(TokenUsage::cacheCreationInputTokens).sum(),
                usage.stream().mapToLong(TokenUsage::cacheReadInputTokens).sum(), usage.stream().mapToLong(TokenUsage::outputTokens).sum(),
                usage.stream().mapToLong(TokenUsage::cacheCreation1hInputTokens).sum());
    }

    /**
     * An independent, deliberately simple reading of a transcript: responses as distinct (message.id, requestId) in
     * order of first line, the response of each tool_use id, and the last line's usage of each non-synthetic response.
     */
    private record NaiveReading(boolean hasSession, List<String> responses, Map<String, String> responseOfCall, List<Long> tokens, int tokenRows)
    {
        static NaiveReading of(Path file, ObjectMapper mapper)
                throws IOException
        {
            boolean hasSession = false;
            List<String> responses = new ArrayList<>();
            Map<String, String> responseOfCall = new LinkedHashMap<>();
            Map<String, JsonNode> lastUsage = new LinkedHashMap<>();
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String row = reader.readLine(); row != null; row = reader.readLine()) {
                    JsonNode node = mapper.readTree(row);
                    hasSession |= node.hasNonNull("sessionId");
                    if (!node.path("type").asText().equals("assistant")) {
                        continue;
                    }
                    JsonNode message = node.path("message");
                    String response = message.path("id").asText() + "/" + node.path("requestId").asText(null);
                    if (!responses.contains(response)) {
                        responses.add(response);
                    }
                    for (JsonNode block : message.path("content")) {
                        if (block.path("type").asText().equals("tool_use")) {
                            responseOfCall.putIfAbsent(block.path("id").asText(), response);
                        }
                    }
                    if (message.has("usage") && !message.path("model").asText().equals(TranscriptParser.SYNTHETIC_MODEL)) {
                        lastUsage.put(response, message.get("usage"));
                    }
                }
            }
            List<Long> tokens = new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L));
            for (JsonNode usage : lastUsage.values()) {
                List<String> fields = List.of("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens");
                for (int i = 0; i < fields.size(); i++) {
                    tokens.set(i, tokens.get(i) + usage.path(fields.get(i)).asLong());
                }
                tokens.set(4, tokens.get(4) + usage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong());
            }
            return new NaiveReading(hasSession, responses, responseOfCall, tokens, lastUsage.size());
        }
    }
}
