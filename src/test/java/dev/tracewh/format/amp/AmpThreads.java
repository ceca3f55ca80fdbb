package dev.tracewh.format.amp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Hand-written Amp threads, since no real or synthetic thread file is public (shared/fixtures/amp/MANIFEST.md). They
 * follow the shapes independent parsers read (more_formats.md §5) and cover the MANIFEST's list: a current thread
 * with thinking, two tool calls, Amp's {@code toolUseID}/{@code run} results (done, error, cancelled) and
 * Anthropic-style usage; a {@code gpt-*} thread whose uncached prompt is in {@code cacheCreationInputTokens}, with an
 * older usage lacking model and timestamp, across a UTC midnight; a legacy thread with {@code usageLedger}; an empty thread.
 */
public final class AmpThreads
{
    public static final String CURRENT = "T-7f3c1e2a-0000-4000-8000-00000000000a";
    public static final String GPT = "T-7f3c1e2a-0000-4000-8000-00000000000b";
    public static final String LEDGER = "T-7f3c1e2a-0000-4000-8000-00000000000c";
    public static final String EMPTY = "T-7f3c1e2a-0000-4000-8000-00000000000d";

    /** 2026-01-01T00:00:00Z; messages at +0 s, tool runs at +5..+6 s, results at +10 s and +20 s; usage stamped +5, +15, +30 s. */
    public static final String CURRENT_THREAD = """
            {
              "v": 42,
              "id": "T-7f3c1e2a-0000-4000-8000-00000000000a",
              "created": 1767225600000,
              "title": "Fix flaky test",
              "env": {
                "initial": {
                  "trees": [{"displayName": "repo", "uri": "file:///home/u/my%20repo",
                             "repository": {"type": "git", "url": "https://github.com/o/repo", "ref": "refs/heads/fix/flaky", "sha": "abc"}}],
                  "platform": {"client": "cli", "clientVersion": "0.0.1767000000", "clientType": "cli"},
                  "tags": []
                }
              },
              "messages": [
                {
                  "role": "user",
                  "messageId": 0,
                  "content": [{"type": "text", "text": "Fix the flaky test"}],
                  "meta": {"sentAt": 1767225600000}
                },
                {
                  "role": "assistant",
                  "messageId": 1,
                  "content": [
                    {"type": "thinking", "thinking": "Look at the test first", "signature": "sig"},
                    {"type": "text", "text": "Reading it."},
                    {"type": "tool_use", "id": "toolu_1", "name": "Read", "input": {"path": "src/a.test.ts"}, "complete": true,
                     "startTime": 1767225605000, "finalTime": 1767225606000},
                    {"type": "tool_use", "id": "toolu_2", "name": "Bash", "input": {"cmd": "npm test"}, "complete": true}
                  ],
                  "state": {"type": "complete", "stopReason": "tool_use"},
                  "usage": {"model": "claude-sonnet-4-5", "timestamp": "2026-01-01T00:00:05Z", "inputTokens": 10, "outputTokens": 200,
                            "cacheCreationInputTokens": 3000, "cacheReadInputTokens": 0, "totalInputTokens": 3010, "maxInputTokens": 200000}
                },
                {
                  "role": "user",
                  "messageId": 2,
                  "content": [
                    {"type": "tool_result", "toolUseID": "toolu_1", "run": {"status": "done", "result": "test body"}},
                    {"type": "tool_result", "toolUseID": "toolu_2", "run": {"status": "error", "error": {"message": "exit 1"}}},
                    {"type": "text", "text": "Also check lint"}
                  ],
                  "meta": {"sentAt": 1767225610000}
                },
                {
                  "role": "assistant",
                  "messageId": 3,
                  "content": [{"type": "tool_use", "id": "toolu_3", "name": "grep", "input": {"pattern": "flaky"}}],
                  "state": {"type": "complete", "stopReason": "tool_use"},
                  "usage": {"model": "claude-sonnet-4-5", "timestamp": "2026-01-01T00:00:15Z", "inputTokens": 5, "outputTokens": 50,
                            "cacheCreationInputTokens": 100, "cacheReadInputTokens": 3000, "totalInputTokens": 3105}
                },
                {
                  "role": "user",
                  "messageId": 4,
                  "content": [{"type": "tool_result", "toolUseID": "toolu_3", "run": {"status": "cancelled"}}],
                  "meta": {"sentAt": 1767225620000}
                },
                {
                  "role": "assistant",
                  "messageId": 5,
                  "content": [{"type": "text", "text": "Fixed: the test waited on a timer."}],
                  "state": {"type": "complete", "stopReason": "end_turn"},
                  "usage": {"model": "claude-sonnet-4-5", "timestamp": "2026-01-01T00:00:30Z", "inputTokens": 8, "outputTokens": 40,
                            "cacheCreationInputTokens": 0, "cacheReadInputTokens": 3100, "totalInputTokens": 3108}
                }
              ]
            }
            """;

    /** Starts 2026-01-01T23:59:00Z; its second answer, with an older usage (no model, no timestamp), is sent 2026-01-02T00:01:10Z. */
    public static final String GPT_THREAD = """
            {
              "v": 7,
              "id": "T-7f3c1e2a-0000-4000-8000-00000000000b",
              "created": 1767311940000,
              "title": "Explain the build",
              "agentMode": "smart",
              "messages": [
                {"role": "user", "messageId": 0, "content": [{"type": "text", "text": "Explain the build"}], "meta": {"sentAt": 1767311940000}},
                {"role": "assistant", "messageId": 1, "content": [{"type": "text", "text": "It uses Maven."}],
                 "state": {"type": "complete", "stopReason": "end_turn"},
                 "usage": {"model": "gpt-5", "timestamp": "2026-01-01T23:59:30Z", "inputTokens": 0, "outputTokens": 150,
                           "cacheCreationInputTokens": 1200, "cacheReadInputTokens": 800, "totalInputTokens": 2000}},
                {"role": "user", "messageId": 2, "content": [{"type": "text", "text": "And the tests?"}], "meta": {"sentAt": 1767312060000}},
                {"role": "assistant", "messageId": 3, "content": [{"type": "text", "text": "Surefire runs them."}], "meta": {"sentAt": 1767312070000},
                 "state": {"type": "cancelled"},
                 "usage": {"inputTokens": 20, "outputTokens": 30, "cacheCreationInputTokens": 0, "cacheReadInputTokens": 500}}
              ]
            }
            """;

    /** 2025-06-01T10:00:00Z; the ledger bills two requests, the second with 10 tokens of its total in no bucket. */
    public static final String LEDGER_THREAD = """
            {
              "v": 3,
              "id": "T-7f3c1e2a-0000-4000-8000-00000000000c",
              "created": 1748772000000,
              "title": "Rename the module",
              "usageLedger": {"events": [
                {"id": "ev-1", "timestamp": "2025-06-01T10:00:05Z", "model": "claude-sonnet-4", "tokens": {"input": 50, "output": 70, "total": 120},
                 "toMessageId": 1, "credits": 0.5},
                {"id": "ev-2", "timestamp": "2025-06-01T10:00:15Z", "model": "claude-sonnet-4", "tokens": {"input": 10, "output": 20, "total": 40},
                 "toMessageId": 3, "credits": 0.25}
              ]},
              "messages": [
                {"role": "user", "messageId": 0, "content": "Rename the module", "meta": {"sentAt": 1748772000000}},
                {"role": "assistant", "messageId": 1,
                 "content": [{"type": "text", "text": "Renaming."}, {"type": "tool_use", "id": "tu_c1", "name": "edit_file", "input": {"path": "mod.ts"}}],
                 "usage": {"inputTokens": 99, "outputTokens": 99, "cacheCreationInputTokens": 400, "cacheReadInputTokens": 1600}},
                {"role": "user", "messageId": 2, "content": [{"type": "tool_result", "toolUseID": "tu_c1", "run": {"status": "done", "result": {"diff": "-a\\n+b"}}}],
                 "meta": {"sentAt": 1748772010000}},
                {"role": "assistant", "messageId": 3, "content": [{"type": "text", "text": "All done."}]}
              ]
            }
            """;

    public static final String EMPTY_THREAD = """
            {"v": 1, "id": "T-7f3c1e2a-0000-4000-8000-00000000000d", "created": 1767225700000, "title": "New thread", "messages": []}
            """;

    public static final Map<String, String> ALL = Map.of(CURRENT, CURRENT_THREAD, GPT, GPT_THREAD, LEDGER, LEDGER_THREAD, EMPTY, EMPTY_THREAD);

    private AmpThreads() {}

    /** Writes every thread to {@code threads}, as {@code <id>.json}. */
    public static void writeAll(Path threads)
            throws IOException
    {
        Files.createDirectories(threads);
        for (Map.Entry<String, String> thread : ALL.entrySet()) {
            Files.writeString(threads.resolve(thread.getKey() + ".json"), thread.getValue());
        }
    }
}
