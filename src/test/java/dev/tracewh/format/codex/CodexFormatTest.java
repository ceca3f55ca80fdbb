package dev.tracewh.format.codex;

import com.github.luben.zstd.ZstdOutputStream;
import dev.tracewh.format.Environment;
import dev.tracewh.format.JsonLines;
import dev.tracewh.format.LineValues;
import dev.tracewh.format.ReadOptions;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;
import dev.tracewh.model.Role;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodexFormatTest
{
    private static final Path FILE = Path.of("sessions/2026/01/02/rollout-2026-01-02T10-00-00-s1.jsonl");

    private final CodexFormat format = new CodexFormat();

    @Test
    void sessionMetaGivesTheIdentity()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"session_meta","payload":{"id":"s1","timestamp":"2026-01-02T09:59:00.000Z","cwd":"/repo","originator":"codex_cli_rs","cli_version":"0.77.0","source":"cli","model_provider":"openai","git":{"commit_hash":"abc","branch":"main"}}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"turn_context","payload":{"cwd":"/repo","model":"gpt-5"}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}
                """);
        assertEquals("s1", trace.traceId());
        assertEquals("s1", trace.rootSessionId());
        assertEquals(CodexFormat.ID, trace.sourceKind());
        assertEquals(FILE.toString(), trace.sourcePath());
        assertNull(trace.agentId());
        assertFalse(trace.isSidechain());
        assertEquals("/repo", trace.cwd());
        assertEquals("/repo", trace.projectPath());
        assertEquals("main", trace.gitBranch());
        assertEquals(List.of("0.77.0"), trace.toolVersions());
        assertEquals(List.of("gpt-5"), trace.models());
        assertEquals("codex_cli_rs", trace.sourceMeta().get("originator"));
        assertEquals("openai", trace.sourceMeta().get("model_provider"));
        assertEquals("cli", trace.sourceMeta().get("source"));
        assertEquals("envelope", trace.sourceMeta().get("layout"));
        // started_at is session_meta.payload.timestamp, when Codex created the thread, not the line's later timestamp
        assertEquals(Instant.parse("2026-01-02T09:59:00Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-01-02T10:00:03Z"), trace.endedAt());
        assertNull(trace.title());
    }

    @Test
    void rolesMapAndInjectedContextIsMeta()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1","cwd":"/repo"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"developer","content":[{"type":"input_text","text":"<permissions instructions>x</permissions instructions>"}]}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"<environment_context>\\n  <cwd>/repo</cwd>\\n</environment_context>"}]}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"look"},{"type":"input_image","image_url":"data:image/png;base64,AAAA"}]}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"event_msg","payload":{"type":"user_message","message":"look"}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"event_msg","payload":{"type":"agent_message","message":"Done."}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Done."}]}}
                """);
        assertEquals(List.of(Role.SYSTEM, Role.USER, Role.USER, Role.ASSISTANT), roles(trace));
        assertEquals(List.of(false, true, false, false), trace.messages().stream().map(Message::isMeta).toList());
        assertEquals(List.of(ContentBlock.text("look"), new ContentBlock("image", null, "image/png")), trace.messages().get(2).content());
        assertEquals(List.of(ContentBlock.text("Done.")), trace.messages().get(3).content());
        assertEquals("Done.", trace.finalAssistantMessage());
        assertEquals(Instant.parse("2026-01-02T10:00:03Z"), trace.messages().get(3).createdAt());
        assertEquals(7, trace.messages().get(3).lineNumber());
    }

    @Test
    void oneModelResponseIsOneAssistantMessage()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"turn_context","payload":{"model":"gpt-5-codex"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"fix it"}]}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"event_msg","payload":{"type":"agent_reasoning","text":"**Plan**"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"reasoning","summary":[{"type":"summary_text","text":"**Plan**"},{"type":"summary_text","text":"Then patch."}],"content":null,"encrypted_content":"gAAA"}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Patching."}],"phase":"commentary"}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\\"command\\":[\\"ls\\"]}","call_id":"c1"}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"response_item","payload":{"type":"custom_tool_call","status":"completed","call_id":"c2","name":"apply_patch","input":"*** Begin Patch\\n*** End Patch"}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"response_item","payload":{"type":"local_shell_call","call_id":"c3","status":"completed","action":{"type":"exec","command":["pwd"]}}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"response_item","payload":{"type":"web_search_call","status":"completed","action":{"type":"search","query":"x"}}}
                {"timestamp":"2026-01-02T10:00:04.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"a.txt"}}
                {"timestamp":"2026-01-02T10:00:04.000Z","type":"response_item","payload":{"type":"custom_tool_call_output","call_id":"c2","output":"Done!"}}
                {"timestamp":"2026-01-02T10:00:04.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c3","output":"/repo"}}
                {"timestamp":"2026-01-02T10:00:05.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Fixed."}]}}
                """);
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL, Role.TOOL, Role.ASSISTANT), roles(trace));
        Message response = trace.messages().get(1);
        // agent_reasoning repeats the summary: it is not added a second time
        assertEquals("**Plan**\n\nThen patch.", response.reasoningContent());
        assertEquals(List.of(ContentBlock.text("Patching.")), response.content());
        assertEquals("gpt-5-codex", response.model());
        assertNull(trace.messages().get(5).reasoningContent());

        List<ToolCall> calls = trace.toolCalls();
        assertEquals(List.of("c1", "c2", "c3"), calls.stream().map(ToolCall::toolCallId).toList());
        assertEquals(List.of(1, 1, 1), calls.stream().map(ToolCall::messageOrdinal).toList());
        assertEquals(List.of(0, 1, 2), calls.stream().map(ToolCall::callIndex).toList());
        assertEquals(List.of("shell", "apply_patch", "local_shell"), calls.stream().map(ToolCall::name).toList());
        assertEquals("{\"command\":[\"ls\"]}", calls.get(0).arguments());
        assertEquals("{\"input\":\"*** Begin Patch\\n*** End Patch\"}", calls.get(1).arguments());
        assertEquals("{\"type\":\"exec\",\"command\":[\"pwd\"]}", calls.get(2).arguments());
        assertEquals(Instant.parse("2026-01-02T10:00:03Z"), calls.get(0).calledAt());
        assertEquals(List.of(2, 3, 4), calls.stream().map(ToolCall::resultOrdinal).toList());
        assertEquals(List.of("a.txt", "Done!", "/repo"), calls.stream().map(ToolCall::resultText).toList());
        assertEquals("c2", trace.messages().get(3).toolCallId());
        assertEquals("Fixed.", trace.finalAssistantMessage());
        assertEquals(1L, recordTypes(trace).get("response_item/web_search_call"));
    }

    @Test
    void jsonEncodedOutputGivesTextExitCodeAndDuration()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{}","call_id":"c1"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"{\\"output\\":\\"boom\\\\n\\",\\"metadata\\":{\\"exit_code\\":2,\\"duration_seconds\\":1.5}}"}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"response_item","payload":{"type":"custom_tool_call","name":"apply_patch","input":"x","call_id":"c2"}}
                {"timestamp":"2026-01-02T10:00:04.000Z","type":"response_item","payload":{"type":"custom_tool_call_output","call_id":"c2","output":"{\\"output\\":\\"Success.\\",\\"metadata\\":{\\"exit_code\\":0,\\"duration_seconds\\":0.0}}"}}
                """);
        ToolCall failed = trace.toolCalls().get(0);
        assertEquals("boom\n", failed.resultText());
        assertEquals(2, failed.exitCode());
        assertEquals(1.5, failed.durationSeconds());
        assertEquals(true, failed.isError());
        // the tool message keeps what the model was shown: the encoded string
        assertEquals("{\"output\":\"boom\\n\",\"metadata\":{\"exit_code\":2,\"duration_seconds\":1.5}}", trace.messages().get(1).text());

        ToolCall patched = trace.toolCalls().get(1);
        assertEquals("Success.", patched.resultText());
        assertEquals(0, patched.exitCode());
        assertEquals(false, patched.isError());
    }

    @Test
    void plainTextOutputHeadersGiveExitCode()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{}","call_id":"c1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"shell_command","arguments":"{}","call_id":"c2"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"shell_command","arguments":"{}","call_id":"c3"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"update_plan","arguments":"{}","call_id":"c4"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"Chunk ID: a1\\nWall time: 9.5 seconds\\nProcess exited with code 1\\nOriginal token count: 3\\nOutput:\\nFAIL"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c2","output":"Exit code: 0\\nWall time: 0.1 seconds\\nOutput:\\nProcess exited with code 7\\n"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c3","output":"Exit code: 1\\nWall time: 0.2 seconds\\nOutput:\\n"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c4","output":"Plan updated"}}
                """);
        List<ToolCall> calls = trace.toolCalls();
        assertEquals(List.of(true, false, true, false), calls.stream().map(ToolCall::isError).toList());
        // the command's own output ("Process exited with code 7" after Output:) is not the header
        assertEquals(Arrays.asList(1L, 0L, 1L, null), calls.stream().map(ToolCall::exitCode).toList());
        assertEquals(Arrays.asList(9.5, 0.1, 0.2, null), calls.stream().map(ToolCall::durationSeconds).toList());
        assertEquals("Plan updated", calls.get(3).resultText());
    }

    @Test
    void exitCodesBeyondAnIntAreKeptAndOnesBeyondALongAreNullWithTheirTextKept()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{}","call_id":"c1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"shell_command","arguments":"{}","call_id":"c2"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"shell_command","arguments":"{}","call_id":"c3"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"{\\"output\\":\\"boom\\",\\"metadata\\":{\\"exit_code\\":99999999999,\\"duration_seconds\\":1.5}}"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c2","output":"Exit code: 3221225477\\nWall time: 0.1 seconds\\nOutput:\\n"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c3","output":"Exit code: 99999999999999999999999\\nWall time: 0.1 seconds\\nOutput:\\n"}}
                """);
        List<ToolCall> calls = trace.toolCalls();
        assertEquals(Arrays.asList(99_999_999_999L, 3_221_225_477L, null), calls.stream().map(ToolCall::exitCode).toList());
        assertEquals(List.of(true, true), calls.subList(0, 2).stream().map(ToolCall::isError).toList());
        assertEquals("Exit code: 99999999999999999999999\nWall time: 0.1 seconds\nOutput:\n", calls.get(2).resultText());
    }

    @Test
    void timestampsOutsideWhatBothDatabasesHoldAreIssuesAndNull()
            throws IOException
    {
        ParsedFile parsed = parse("""
                {"timestamp":"-0001-01-01T00:00:00Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"go"}]}}
                {"timestamp":"+300000-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{}","call_id":"c1"}}
                {"timestamp":"+600000-01-02T10:00:03.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":10,"output_tokens":1,"total_tokens":11},"last_token_usage":{"input_tokens":10,"output_tokens":1,"total_tokens":11}}}}
                {"timestamp":"2026-01-02T10:00:04.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"done"}]}}
                """);
        assertEquals(List.of(1L, 3L, 4L), parsed.issues().stream().map(ParseIssue::lineNumber).toList());
        assertTrue(parsed.issues().stream().allMatch(issue -> issue.errorClass().equals(LineValues.OUT_OF_RANGE)), parsed.issues().toString());
        assertTrue(parsed.issues().get(2).message().contains("+600000-01-02T10:00:03.000Z"), parsed.issues().get(2).message());
        Trace trace = parsed.traces().getFirst();
        assertEquals(Arrays.asList(Instant.parse("2026-01-02T10:00:01Z"), null), trace.messages().stream().map(Message::createdAt).toList());
        assertNull(trace.toolCalls().getFirst().calledAt());
        assertNull(trace.tokenUsage().getFirst().createdAt());
        assertEquals(Instant.parse("2026-01-02T10:00:01Z"), trace.startedAt());
        assertEquals(Instant.parse("2026-01-02T10:00:04Z"), trace.endedAt());
    }

    @Test
    void arrayOutputBecomesBlocks()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"view_image","arguments":"{}","call_id":"c1"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":[{"type":"input_text","text":"image:"},{"type":"input_image","image_url":"data:image/jpeg;base64,AA"}]}}
                """);
        assertEquals(List.of(ContentBlock.text("image:"), new ContentBlock("image", null, "image/jpeg")), trace.messages().get(1).content());
        assertEquals("image:", trace.toolCalls().getFirst().resultText());
        assertEquals(false, trace.toolCalls().getFirst().isError());
    }

    @Test
    void reasoningBeforeAUserMessageStaysInItsOwnMessage()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"go"}]}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"reasoning","summary":[{"type":"summary_text","text":"interrupted thought"}]}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"event_msg","payload":{"type":"turn_aborted","reason":"interrupted"}}
                {"timestamp":"2026-01-02T10:00:04.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"stop, do this"}]}}
                {"timestamp":"2026-01-02T10:00:05.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"ok"}]}}
                {"timestamp":"2026-01-02T10:00:06.000Z","type":"response_item","payload":{"type":"reasoning","summary":[],"encrypted_content":"gAAA"}}
                """);
        assertEquals(List.of(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT), roles(trace));
        assertEquals("interrupted thought", trace.messages().get(1).reasoningContent());
        assertEquals(List.of(), trace.messages().get(1).content());
        assertNull(trace.messages().get(3).reasoningContent());
        assertEquals(1L, trace.sourceMeta().get("reasoning_only_responses"));
        assertEquals("ok", trace.finalAssistantMessage());
    }

    @Test
    void reasoningAfterAToolOutputStartsTheNextResponse()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"reasoning","summary":[{"type":"summary_text","text":"first"}]}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{}","call_id":"c1"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"x"}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"response_item","payload":{"type":"reasoning","summary":[{"type":"summary_text","text":"second"}]}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"done"}]}}
                """);
        assertEquals(List.of(Role.ASSISTANT, Role.TOOL, Role.ASSISTANT), roles(trace));
        assertEquals("first", trace.messages().get(0).reasoningContent());
        assertEquals("second", trace.messages().get(2).reasoningContent());
        assertFalse(trace.sourceMeta().containsKey("reasoning_only_responses"));
    }

    @Test
    void repeatedTokenCountsAreOneResponse()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"turn_context","payload":{"model":"gpt-5"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":{}}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{}","call_id":"c1"}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":10,"reasoning_output_tokens":4,"total_tokens":110},"last_token_usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":10,"reasoning_output_tokens":4,"total_tokens":110}}}}
                {"timestamp":"2026-01-02T10:00:04.000Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"x"}}
                {"timestamp":"2026-01-02T10:00:04.000Z","type":"turn_context","payload":{"model":"gpt-5.1"}}
                {"timestamp":"2026-01-02T10:00:05.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":10,"reasoning_output_tokens":4,"total_tokens":110},"last_token_usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":10,"reasoning_output_tokens":4,"total_tokens":110}}}}
                {"timestamp":"2026-01-02T10:00:06.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"done"}]}}
                {"timestamp":"2026-01-02T10:00:07.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":300,"cached_input_tokens":140,"output_tokens":30,"reasoning_output_tokens":4,"total_tokens":330},"last_token_usage":{"input_tokens":200,"cached_input_tokens":100,"output_tokens":20,"reasoning_output_tokens":0,"total_tokens":220}}}}
                """);
        assertEquals(List.of(
                        new TokenUsage("s1:110", "", 0, "gpt-5", Instant.parse("2026-01-02T10:00:03Z"), 60, 0, 0, 40, 10, 4),
                        new TokenUsage("s1:330", "", 2, "gpt-5.1", Instant.parse("2026-01-02T10:00:07Z"), 100, 0, 0, 100, 20, 0)),
                trace.tokenUsage());
        assertEquals(1L, trace.sourceMeta().get("repeated_token_counts"));
        assertEquals(330, trace.tokenUsage().stream().mapToLong(TokenUsage::totalTokens).sum());
        assertEquals(List.of("gpt-5", "gpt-5.1"), trace.models());
    }

    @Test
    void tokenCountWithoutLastUsageTakesTheGrowthOfTheTotal()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:01:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":1000,"cached_input_tokens":100,"output_tokens":200,"reasoning_output_tokens":20,"total_tokens":1200}}}}
                {"timestamp":"2026-01-02T10:02:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":1600,"cached_input_tokens":300,"output_tokens":450,"reasoning_output_tokens":40,"total_tokens":2050}}}}
                """);
        assertEquals(List.of(
                        new TokenUsage("s1:1200", "", null, null, Instant.parse("2026-01-02T10:01:00Z"), 900, 0, 0, 100, 200, 20),
                        new TokenUsage("s1:2050", "", null, null, Instant.parse("2026-01-02T10:02:00Z"), 400, 0, 0, 200, 250, 20)),
                trace.tokenUsage());
    }

    @Test
    void tokenCountsThatAreNotCountsAreIssuesAndLeaveTheirResponsesUsageOut()
            throws IOException
    {
        ParsedFile parsed = parse("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:01:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"output_tokens":10,"total_tokens":110},"last_token_usage":{"input_tokens":100,"output_tokens":1e400,"total_tokens":110}}}}
                {"timestamp":"2026-01-02T10:02:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":200,"output_tokens":20,"total_tokens":"220"},"last_token_usage":{"input_tokens":100,"output_tokens":10,"total_tokens":110}}}}
                {"timestamp":"2026-01-02T10:03:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":99999999999999999999999,"output_tokens":30,"total_tokens":330}}}}
                {"timestamp":"2026-01-02T10:04:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":400,"output_tokens":40,"total_tokens":440},"last_token_usage":{"input_tokens":100,"cached_input_tokens":9223372036854775807,"output_tokens":10,"total_tokens":110}}}}
                {"timestamp":"2026-01-02T10:05:00.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":500,"output_tokens":50,"total_tokens":550},"last_token_usage":{"input_tokens":100,"output_tokens":10,"total_tokens":110}}}}
                """);
        assertEquals(List.of(2L, 3L, 4L, 5L), parsed.issues().stream().map(ParseIssue::lineNumber).toList());
        assertTrue(parsed.issues().stream().allMatch(issue -> issue.errorClass().equals(LineValues.INVALID_COUNT)), parsed.issues().toString());
        assertTrue(parsed.issues().get(1).message().contains("total_tokens"), parsed.issues().get(1).message());
        assertEquals(List.of(new TokenUsage("s1:550", "", null, null, Instant.parse("2026-01-02T10:05:00Z"), 100, 0, 0, 0, 10, 0)),
                parsed.traces().getFirst().tokenUsage());
    }

    @Test
    void forkKeepsItsOwnIdAndSharesTheParentsUsageKeys()
            throws IOException
    {
        String parentLines = """
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"parent","cwd":"/parent","cli_version":"0.80.0","git":{"branch":"main"}}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"turn_context","payload":{"model":"gpt-5"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"first"}]}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"one"}]}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":0,"output_tokens":10,"reasoning_output_tokens":0,"total_tokens":110},"last_token_usage":{"input_tokens":100,"cached_input_tokens":0,"output_tokens":10,"reasoning_output_tokens":0,"total_tokens":110}}}}
                """;
        Trace parent = single(parentLines);
        Trace fork = single("""
                {"timestamp":"2026-01-03T08:00:00.000Z","type":"session_meta","payload":{"id":"fork","forked_from_id":"parent","cwd":"/fork","cli_version":"0.81.0","git":{"branch":"topic"}}}
                """ + parentLines + """
                {"timestamp":"2026-01-03T08:00:01.000Z","type":"turn_context","payload":{"model":"gpt-5"}}
                {"timestamp":"2026-01-03T08:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"second"}]}}
                {"timestamp":"2026-01-03T08:00:02.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"two"}]}}
                {"timestamp":"2026-01-03T08:00:02.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":250,"cached_input_tokens":100,"output_tokens":30,"reasoning_output_tokens":0,"total_tokens":280},"last_token_usage":{"input_tokens":150,"cached_input_tokens":100,"output_tokens":20,"reasoning_output_tokens":0,"total_tokens":170}}}}
                """);
        assertEquals("fork", fork.traceId());
        assertEquals("fork", fork.rootSessionId());
        assertEquals("/fork", fork.cwd());
        assertEquals("topic", fork.gitBranch());
        assertEquals(List.of("0.81.0"), fork.toolVersions());
        assertEquals("parent", fork.sourceMeta().get("forked_from_id"));
        assertEquals(List.of("parent"), fork.sourceMeta().get("replayed_session_ids"));
        // the fork's own session_meta starts it, not the parent's earlier lines it replays
        assertEquals(Instant.parse("2026-01-03T08:00:00Z"), fork.startedAt());
        assertEquals("two", fork.finalAssistantMessage());

        // the replayed response has the parent's key, so the warehouse stores it once
        assertEquals(List.of("parent:110"), parent.tokenUsage().stream().map(TokenUsage::responseId).toList());
        assertEquals(List.of("parent:110", "parent:280"), fork.tokenUsage().stream().map(TokenUsage::responseId).toList());
        assertEquals(parent.tokenUsage().getFirst().totalTokens(), fork.tokenUsage().getFirst().totalTokens());
        // a session's usage adds up to its last cumulative total
        assertEquals(280, fork.tokenUsage().stream().mapToLong(TokenUsage::totalTokens).sum());
    }

    @Test
    void bareLayoutIsRead()
            throws IOException
    {
        ParsedFile parsed = parse("""
                {"id":"b1","timestamp":"2025-06-05T17:56:32.962Z","instructions":"be brief","git":{"commit_hash":"0a0","branch":"master","repository_url":"git@x:y.git"}}
                {"record_type":"state"}
                {"type":"message","id":null,"role":"user","content":[{"type":"input_text","text":"<environment_context>\\n  <cwd>/Users/a/repo</cwd>\\n</environment_context>"}]}
                {"type":"message","id":null,"role":"user","content":[{"type":"input_text","text":"build it"}]}
                {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"**Build**"}],"encrypted_content":"gAAA"}
                {"type":"function_call","id":"fc_1","name":"shell","arguments":"{\\"command\\":[\\"make\\"]}","call_id":"c1"}
                {"record_type":"state"}
                {"type":"function_call_output","call_id":"c1","output":"{\\"output\\":\\"error\\",\\"metadata\\":{\\"exit_code\\":2,\\"duration_seconds\\":0.3}}"}
                {"type":"message","id":null,"role":"assistant","content":[{"type":"output_text","text":"It fails."}]}
                """);
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("b1", trace.traceId());
        assertEquals("master", trace.gitBranch());
        assertEquals("/Users/a/repo", trace.cwd());
        assertEquals("bare", trace.sourceMeta().get("layout"));
        assertEquals(Instant.parse("2025-06-05T17:56:32.962Z"), trace.startedAt());
        // the header is the bare layout's session_meta: its timestamp is the start, and the only timestamp there is
        assertEquals(trace.startedAt(), trace.endedAt());
        assertEquals(List.of(Role.USER, Role.USER, Role.ASSISTANT, Role.TOOL, Role.ASSISTANT), roles(trace));
        assertTrue(trace.messages().stream().allMatch(message -> message.createdAt() == null));
        assertEquals("**Build**", trace.messages().get(2).reasoningContent());
        assertEquals(true, trace.toolCalls().getFirst().isError());
        assertEquals("It fails.", trace.finalAssistantMessage());
        assertEquals(List.of(), trace.tokenUsage());
        assertEquals(List.of(), trace.models());
        assertEquals(2L, recordTypes(trace).get("record_type/state"));
    }

    @Test
    void unknownTypesAreCountedNotFatal()
            throws IOException
    {
        ParsedFile parsed = parse("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"world_state","payload":{"anything":1}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"ghost_snapshot","ghost_commit":{"id":"g"}}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"event_msg","payload":{"type":"thread_goal_updated"}}
                {"timestamp":"2026-01-02T10:00:04.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"refusal","refusal":"no"}]}}
                """);
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        Map<String, Long> recordTypes = recordTypes(trace);
        assertEquals(1L, recordTypes.get("world_state"));
        assertEquals(1L, recordTypes.get("response_item/ghost_snapshot"));
        assertEquals(1L, recordTypes.get("event_msg/thread_goal_updated"));
        assertEquals(1L, trace.sourceMeta().get("other_blocks"));
        assertEquals(Instant.parse("2026-01-02T10:00:04Z"), trace.endedAt());
    }

    @Test
    void brokenAndMisshapenLinesAreIssues()
            throws IOException
    {
        ParsedFile parsed = parse("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"event_msg","payload":{"type":"ag
                [1, 2]
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":"oops"}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"response_item","payload":{"type":"message","role":"critic","content":[]}}
                {"timestamp":"2026-01-02T10:00:04.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{}"}}
                {"timestamp":"2026-01-02T10:00:05.000Z","payload":{}}
                {"timestamp":"2026-01-02T10:00:06.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"still read"}]}}
                {"timestamp":"2026-01-02T10:00:07.000Z","type":"response_item","payload":{"type":"message","ro""");
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), parsed.issues().stream().map(ParseIssue::lineNumber).toList());
        assertEquals(
                List.of(JsonLines.INVALID_JSON, JsonLines.NOT_AN_OBJECT, JsonLines.UNEXPECTED_SHAPE, JsonLines.UNEXPECTED_SHAPE, JsonLines.UNEXPECTED_SHAPE, JsonLines.UNEXPECTED_SHAPE),
                parsed.issues().stream().map(ParseIssue::errorClass).toList());
        // the unterminated last line is a write in progress: not an issue, not consumed
        Trace trace = parsed.traces().getFirst();
        assertEquals(List.of("still read"), trace.messages().stream().map(Message::text).toList());
        assertEquals(Instant.parse("2026-01-02T10:00:06Z"), trace.endedAt());
    }

    @Test
    void rolloutWithoutSessionMetaIsNamedByItsFileAndKeepsItsTokens()
            throws IOException
    {
        Path file = Path.of("archived_sessions/rollout-2026-01-02T11-00-00-019b6b08-58f3-7580-9dca-fe3f30a10650.jsonl");
        ParsedFile parsed = parse(file, """
                {"timestamp":"2026-01-02T10:00:05.000Z","type":"turn_context","payload":{"cwd":"/repo","model":"gpt-5"}}
                {"timestamp":"2026-01-02T10:00:06.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"done"}]}}
                {"timestamp":"2026-01-02T10:00:07.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":40,"output_tokens":10,"reasoning_output_tokens":0,"total_tokens":110}}}}
                """);
        assertEquals(List.of(), parsed.issues());
        Trace trace = parsed.traces().getFirst();
        assertEquals("019b6b08-58f3-7580-9dca-fe3f30a10650", trace.traceId());
        assertEquals(trace.traceId(), trace.rootSessionId());
        assertEquals("file_name", trace.sourceMeta().get("session_id_from"));
        assertFalse(trace.isSidechain());
        assertNull(trace.agentId());
        // what the lines tell is kept; what only session_meta tells is unknown
        assertEquals("/repo", trace.cwd());
        assertNull(trace.gitBranch());
        assertFalse(trace.sourceMeta().containsKey("originator"));
        assertEquals(List.of(), trace.toolVersions());
        // the file name's time is local: the start is the earliest line
        assertEquals(Instant.parse("2026-01-02T10:00:05Z"), trace.startedAt());
        // the usage key carries the file's id, as session_meta's would, so it is no other file's key
        assertEquals(List.of(new TokenUsage("019b6b08-58f3-7580-9dca-fe3f30a10650:110", "", 0, "gpt-5", Instant.parse("2026-01-02T10:00:07Z"), 60, 0, 0, 40, 10, 0)),
                trace.tokenUsage());

        ParsedFile metaWithoutId = parse(file, """
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"cwd":"/child","timestamp":"2026-01-02T09:59:59.000Z"}}
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"parent"}}
                """);
        // a session_meta without an id is an issue and still the file's: its id comes from the name, its cwd and start stay
        assertEquals(List.of(1L), metaWithoutId.issues().stream().map(ParseIssue::lineNumber).toList());
        Trace named = metaWithoutId.traces().getFirst();
        assertEquals("019b6b08-58f3-7580-9dca-fe3f30a10650", named.traceId());
        assertEquals("file_name", named.sourceMeta().get("session_id_from"));
        assertEquals("/child", named.cwd());
        assertEquals(Instant.parse("2026-01-02T09:59:59Z"), named.startedAt());
    }

    @Test
    void fileWithoutAnyIdIsNamedAfterItsFile()
            throws IOException
    {
        Path file = Path.of("sessions/2026/01/02/rollout-2026-01-02T11-00-00-019b6b08-58f3-7580-9dca-fe3f30a10650.jsonl");
        assertEquals("019b6b08-58f3-7580-9dca-fe3f30a10650", CodexFormat.fileNameThreadId(file));
        assertEquals("019b6b08-58f3-7580-9dca-fe3f30a10650", CodexFormat.fileNameThreadId(Path.of(file + ".zst")));
        // nothing readable: no trace, whatever the name
        ParsedFile empty = parse(file, "");
        assertEquals(List.of(), empty.traces());
        assertEquals(List.of(), empty.issues());

        // FILE's name ends with "s1", no thread id Codex would write, and these lines name no session either: the
        // trace is named after the file, so its usage is not lost (ccusage's test rollouts are such files)
        assertEquals("rollout-2026-01-02T10-00-00-s1", CodexFormat.fileNameThreadId(FILE));
        assertEquals("rollout-2026-01-02T10-00-00-s1", CodexFormat.fileNameThreadId(Path.of(FILE + ".zst")));
        ParsedFile withoutMeta = parse("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"turn_context","payload":{"model":"gpt-5"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2}}}}
                """);
        assertEquals(List.of(), withoutMeta.issues());
        Trace named = withoutMeta.traces().getFirst();
        assertEquals("rollout-2026-01-02T10-00-00-s1", named.traceId());
        assertEquals("file_name", named.sourceMeta().get("session_id_from"));
        assertEquals(1, named.tokenUsage().size());

        ParsedFile metaWithoutId = parse("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"cwd":"/child"}}
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"parent"}}
                """);
        // a replayed parent session_meta never names the file
        assertEquals(List.of("rollout-2026-01-02T10-00-00-s1"), metaWithoutId.traces().stream().map(Trace::traceId).toList());
        assertEquals(List.of(1L), metaWithoutId.issues().stream().map(ParseIssue::lineNumber).toList());
    }

    @Test
    void startedAtIsTheThreadsCreation()
            throws IOException
    {
        // Codex writes session_meta seconds after creating the thread; the payload's timestamp is the creation
        Trace created = single("""
                {"timestamp":"2026-01-02T10:00:20.000Z","type":"session_meta","payload":{"id":"s1","timestamp":"2026-01-02T10:00:00.000Z"}}
                {"timestamp":"2026-01-02T10:00:21.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}
                """);
        assertEquals(Instant.parse("2026-01-02T10:00:00Z"), created.startedAt());
        assertEquals(Instant.parse("2026-01-02T10:00:21Z"), created.endedAt());

        // without a usable payload timestamp, the session_meta line's own, even where a replayed line is earlier
        Trace withoutCreation = single("""
                {"timestamp":"2026-01-02T10:00:20.000Z","type":"session_meta","payload":{"id":"s1","timestamp":"yesterday"}}
                {"timestamp":"2026-01-01T08:00:00.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}
                """);
        assertEquals(Instant.parse("2026-01-02T10:00:20Z"), withoutCreation.startedAt());

        ParsedFile outOfRange = parse("""
                {"timestamp":"2026-01-02T10:00:20.000Z","type":"session_meta","payload":{"id":"s1","timestamp":"+300000-01-02T10:00:00.000Z"}}
                """);
        assertEquals(List.of(LineValues.OUT_OF_RANGE), outOfRange.issues().stream().map(ParseIssue::errorClass).toList());
        assertEquals(Instant.parse("2026-01-02T10:00:20Z"), outOfRange.traces().getFirst().startedAt());

        // bare layout: the header's timestamp, as before
        Trace bare = single("""
                {"id":"b1","timestamp":"2025-06-05T17:56:32.962Z","instructions":null}
                {"type":"message","role":"user","content":[{"type":"input_text","text":"go"}]}
                """);
        assertEquals(Instant.parse("2025-06-05T17:56:32.962Z"), bare.startedAt());
    }

    @Test
    void forkedFromIdIsTheFirstSessionMetasInBothLayouts()
            throws IOException
    {
        // a fork of a fork replays its parent's session_meta, which names the grandparent
        Trace fork = single("""
                {"timestamp":"2026-01-03T08:00:05.000Z","type":"session_meta","payload":{"id":"grandchild","forked_from_id":"child","timestamp":"2026-01-03T08:00:00.000Z"}}
                {"timestamp":"2026-01-02T12:00:01.000Z","type":"session_meta","payload":{"id":"child","forked_from_id":"root","timestamp":"2026-01-02T12:00:00.000Z"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"session_meta","payload":{"id":"root","timestamp":"2026-01-02T10:00:00.000Z"}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"first"}]}}
                """);
        assertEquals("grandchild", fork.traceId());
        assertEquals("child", fork.sourceMeta().get("forked_from_id"));
        assertEquals(List.of("child", "root"), fork.sourceMeta().get("replayed_session_ids"));
        assertEquals(Instant.parse("2026-01-03T08:00:00Z"), fork.startedAt());

        Trace bare = single("""
                {"id":"b2","forked_from_id":"b1","timestamp":"2025-06-05T17:56:32.962Z"}
                """);
        assertEquals("b1", bare.sourceMeta().get("forked_from_id"));

        Trace notAFork = single("""
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"session_meta","payload":{"id":"root"}}
                """);
        assertFalse(notAFork.sourceMeta().containsKey("forked_from_id"));
    }

    @Test
    void subAgentRolloutIsASidechainOfItsParentThread()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"child","source":{"subagent":{"thread_spawn":{"parent_thread_id":"main","depth":1}}}}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"explore"}]}}
                """);
        assertEquals("child", trace.traceId());
        assertEquals("main", trace.rootSessionId());
        assertEquals("child", trace.agentId());
        assertTrue(trace.isSidechain());
        assertTrue(trace.messages().getFirst().isSidechain());
        assertEquals(Map.of("subagent", Map.of("thread_spawn", Map.of("parent_thread_id", "main", "depth", 1))), trace.sourceMeta().get("source"));

        Trace review = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"rev","source":{"subagent":"review"}}}
                """);
        assertEquals("rev", review.rootSessionId());
        assertTrue(review.isSidechain());
    }

    @Test
    void compactionSummaryIsAUserMessageFlaggedAsSuch()
            throws IOException
    {
        Trace trace = single("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"reasoning","summary":[{"type":"summary_text","text":"thinking"}]}}
                {"timestamp":"2026-01-02T10:00:02.000Z","type":"compacted","payload":{"message":"Summary so far"}}
                {"timestamp":"2026-01-02T10:00:03.000Z","type":"compacted","payload":{"message":"","replacement_history":[]}}
                """);
        // the remote compaction (no message, only replacement_history) adds none
        assertEquals(List.of(Role.ASSISTANT, Role.USER), roles(trace));
        Message summary = trace.messages().get(1);
        assertTrue(summary.isCompactSummary());
        assertFalse(summary.isMeta());
        assertEquals("Summary so far", summary.text());
        assertEquals(Instant.parse("2026-01-02T10:00:02Z"), summary.createdAt());
        assertEquals(2L, recordTypes(trace).get("compacted"));
    }

    @Test
    void byteOrderMarkAndCrlfAreRead()
            throws IOException
    {
        byte[] body = ("""
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"s1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}}
                """).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        ParsedFile parsed = format.parse(FILE, new ByteArrayInputStream(bytes), ReadOptions.DEFAULT);
        assertEquals(List.of(), parsed.issues());
        assertEquals("hi", parsed.traces().getFirst().messages().getFirst().text());
        assertEquals(bytes.length, parsed.consumedBytes());
    }

    @Test
    void compressedRolloutIsRead(@TempDir Path directory)
            throws IOException
    {
        String jsonl = """
                {"timestamp":"2026-01-02T10:00:00.000Z","type":"session_meta","payload":{"id":"z1"}}
                {"timestamp":"2026-01-02T10:00:01.000Z","type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"from zstd"}]}}
                """;
        Path file = directory.resolve("rollout-2026-01-02T10-00-00-z1.jsonl.zst");
        try (OutputStream output = new ZstdOutputStream(Files.newOutputStream(file))) {
            output.write(jsonl.getBytes(StandardCharsets.UTF_8));
        }
        ParsedFile parsed;
        try (InputStream input = Files.newInputStream(file)) {
            parsed = format.parse(file, input, ReadOptions.DEFAULT);
        }
        Trace trace = parsed.traces().getFirst();
        assertEquals("z1", trace.traceId());
        assertEquals("from zstd", trace.finalAssistantMessage());
        assertEquals(true, trace.sourceMeta().get("compressed"));
        assertEquals(jsonl.getBytes(StandardCharsets.UTF_8).length, parsed.consumedBytes());
    }

    @Test
    void discoverFindsRolloutsAndPrefersThePlainFile(@TempDir Path codexHome)
            throws IOException
    {
        Path sessions = codexHome.resolve("sessions");
        Path day = Files.createDirectories(sessions.resolve("2026/01/02"));
        Path plain = Files.writeString(day.resolve("rollout-2026-01-02T10-00-00-a.jsonl"), "");
        Files.writeString(day.resolve("rollout-2026-01-02T10-00-00-a.jsonl.zst"), "");
        Path compressedOnly = Files.writeString(day.resolve("rollout-2026-01-02T09-00-00-b.jsonl.zst"), "");
        Files.writeString(day.resolve("notes.jsonl"), "");
        Files.writeString(day.resolve("rollout-2025-05-01-c.json"), "");
        Files.writeString(codexHome.resolve("history.jsonl"), "");
        Path older = Files.writeString(Files.createDirectories(sessions.resolve("2025/12/31")).resolve("rollout-2025-12-31T23-00-00-d.jsonl"), "");
        Path archived = Files.createDirectories(codexHome.resolve("archived_sessions"));
        Path archivedFile = Files.writeString(archived.resolve("rollout-2025-11-01T08-00-00-e.jsonl"), "");

        assertEquals(List.of(older, compressedOnly, plain), format.discover(sessions));
        assertEquals(List.of(archivedFile), format.discover(archived));
        assertEquals(List.of(plain), format.discover(plain));
    }

    @Test
    void defaultRootsFollowCodexHome()
    {
        Path home = Path.of("/home/u");
        assertEquals(List.of(home.resolve(".codex/sessions"), home.resolve(".codex/archived_sessions")),
                format.defaultRoots(new Environment(home, Map.of())));
        assertEquals(List.of(Path.of("/opt/codex/sessions"), Path.of("/opt/codex/archived_sessions")),
                format.defaultRoots(new Environment(home, Map.of("CODEX_HOME", "/opt/codex"))));
    }

    private ParsedFile parse(String jsonl)
            throws IOException
    {
        return parse(FILE, jsonl);
    }

    private ParsedFile parse(Path file, String jsonl)
            throws IOException
    {
        return format.parse(file, new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)), ReadOptions.DEFAULT);
    }

    private Trace single(String jsonl)
            throws IOException
    {
        ParsedFile parsed = parse(jsonl);
        assertEquals(List.of(), parsed.issues());
        assertEquals(1, parsed.traces().size());
        return parsed.traces().getFirst();
    }

    private static List<Role> roles(Trace trace)
    {
        return trace.messages().stream().map(Message::role).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> recordTypes(Trace trace)
    {
        return (Map<String, Long>) trace.sourceMeta().get("record_types");
    }
}
