package dev.tracewh.format.hermes;

import dev.tracewh.format.FileHead;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.format.atif.AtifFormat;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three synthetic CLI snapshots of the shared fixtures (agent-sessions stage0, the only Hermes files with a
 * license). Expected values come from reading each file: messages by role (the trailing bare {@code session_meta}
 * message of large and schema_drift is not a message), the system prompt as a first system message, tool calls,
 * errors, times. The files contradict the reference in places, and the parser follows the files: {@code Z} times
 * (the real writer's are naive), {@code cwd} at the top level or in {@code model_config}, tools with a top-level
 * {@code name}, {@code session_meta} inside {@code messages}, a {@code finish_reason} on a tool message.
 */
class HermesConformanceTest
{
    private static final String FOLDER = "hermes_agent/agent-sessions/Resources/Fixtures/stage0/agents/hermes/";
    /** Naive times are read in the loading machine's zone; a fixed one here, with an offset, shows it is applied. */
    private final HermesFormat format = new HermesFormat(ZoneId.of("Europe/Paris"));

    @Test
    void smallSnapshot()
            throws IOException
    {
        ParsedFile parsed = parse("small.json");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("20260429_hermes_small", trace.traceId());
        assertEquals("hermes_agent", trace.sourceKind());
        assertEquals("20260429_hermes_small", trace.rootSessionId());
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 1L), roles(trace));
        assertEquals(0, trace.toolCallCount());
        assertEquals(List.of(), trace.tokenUsage());
        assertEquals(Instant.parse("2026-04-29T20:00:00Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-04-29T20:00:04Z"), trace.endedAt());
        assertEquals("This directory contains a small Hermes fixture.", trace.finalAssistantMessage());
        assertEquals("/tmp/hermes-small", trace.cwd());
        assertEquals(List.of("claude-sonnet-4-6"), trace.models());
        assertEquals("claude-sonnet-4-6", trace.messages().get(1).model());
        assertEquals(List.of("stop"), trace.sourceMeta().get("finish_reasons"));
        assertEquals("cli", trace.sourceMeta().get("platform"));
        assertEquals("cli_session_log", trace.sourceMeta().get("session_format"));
        assertEquals(2, trace.sourceMeta().get("record_count"));
        assertFalse(trace.sourceMeta().containsKey("naive_timestamps_zone"), "the times carry a Z");
    }

    @Test
    void largeSnapshotWithSystemPromptToolCallAndSessionMeta()
            throws IOException
    {
        ParsedFile parsed = parse("large.json");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("20260429_hermes_large", trace.traceId());
        // system prompt, user, assistant (tool call), tool, assistant; the bare session_meta message is skipped
        assertEquals(Map.of(Role.SYSTEM, 1L, Role.USER, 1L, Role.ASSISTANT, 2L, Role.TOOL, 1L), roles(trace));
        assertEquals(5, trace.messageCount());
        assertEquals(1L, trace.sourceMeta().get("session_meta_rows"));
        assertEquals(Role.SYSTEM, trace.messages().getFirst().role());
        assertEquals("You are Hermes.", trace.messages().getFirst().text());
        assertEquals(List.of(new ToolCall("call_001", 2, 0, "shell", "{\"command\":\"pwd\"}", null, 3, "/Users/alexm/Repository/Codex-History", null, null, null)),
                trace.toolCalls());
        assertEquals("call_001", trace.messages().get(3).toolCallId());
        // reasoning and reasoning_content say the same: kept once
        assertEquals("Need a shell lookup.", trace.messages().get(2).reasoningContent());
        assertEquals("The current directory is /Users/alexm/Repository/Codex-History.", trace.finalAssistantMessage());
        assertEquals(Instant.parse("2026-04-29T20:05:00Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-04-29T20:05:12Z"), trace.endedAt());
        assertEquals("~/Repository/Codex-History", trace.cwd(), "from model_config");
        assertEquals(List.of("gpt-5.2"), trace.models());
        assertEquals(List.of("shell"), trace.sourceMeta().get("available_tool_names"), "a tool with a top-level name and a function.name");
        assertEquals(1, trace.sourceMeta().get("available_tool_count"));
        assertEquals("https://api.example.test/v1", trace.sourceMeta().get("base_url"));
        assertEquals("telegram", trace.sourceMeta().get("platform"));
        assertEquals(true, trace.sourceMeta().get("has_system_prompt"));
        assertEquals(15, trace.sourceMeta().get("system_prompt_chars"));
        // only the last assistant message has a finish_reason; the tool message's "stop" is not an assistant's
        assertEquals(List.of("stop"), trace.sourceMeta().get("finish_reasons"));
        assertEquals(List.of("shell"), trace.sourceMeta().get("tool_names_used"));
        assertEquals(5, trace.sourceMeta().get("record_count"));
        assertEquals(List.of(), trace.tokenUsage());
    }

    @Test
    void schemaDriftSnapshotWithNaiveTimesAndAFailedTool()
            throws IOException
    {
        ParsedFile parsed = parse("schema_drift.json");
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("20260429_hermes_schema_drift", trace.traceId());
        assertEquals(Map.of(Role.USER, 1L, Role.ASSISTANT, 1L, Role.TOOL, 1L), roles(trace));
        List<ToolCall> calls = trace.toolCalls();
        assertEquals(1, calls.size());
        assertEquals("memory", calls.getFirst().name());
        assertEquals("{\"query\":\"session format\"}", calls.getFirst().arguments());
        // the tool message says finish_reason "error": one error
        assertEquals(Boolean.TRUE, calls.getFirst().isError());
        assertEquals("No results.", calls.getFirst().resultText());
        // 20:10 in Paris (UTC+2 in April) is 18:10 UTC
        assertEquals(Instant.parse("2026-04-29T18:10:00Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-04-29T18:10:08Z"), trace.endedAt());
        assertEquals("Europe/Paris", trace.sourceMeta().get("naive_timestamps_zone"));
        assertEquals("Calling a tool.", trace.finalAssistantMessage());
        assertEquals("/tmp/hermes-drift", trace.cwd());
        assertNull(trace.sourceMeta().get("finish_reasons"));
        assertEquals(List.<TokenUsage>of(), trace.tokenUsage());
    }

    @Test
    void aFixtureNamedOnPathIsReadAndRecognizedAsHermesNotAtif()
            throws IOException
    {
        for (String name : List.of("small.json", "large.json", "schema_drift.json")) {
            Path file = SharedFixtures.path(FOLDER + name);
            assertEquals(List.of(file), format.discover(file));
            FileHead head = FileHead.read(file, JsonLines.newMapper());
            assertTrue(format.recognizes(file, head), name);
            assertFalse(new AtifFormat().recognizes(file, head), name);
        }
    }

    private ParsedFile parse(String name)
            throws IOException
    {
        Path file = SharedFixtures.path(FOLDER + name);
        try (InputStream input = Files.newInputStream(file)) {
            return format.parse(file, input, ReadOptions.DEFAULT);
        }
    }

    private static Map<Role, Long> roles(Trace trace)
    {
        return new TreeMap<>(trace.messages().stream().collect(groupingBy(message -> message.role(), counting())));
    }
}
