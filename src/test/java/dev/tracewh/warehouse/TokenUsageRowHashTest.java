package dev.tracewh.warehouse;

import dev.tracewh.format.JsonLines;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.Trace;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A usage row's hash covers its 1-hour cache writes only when it has some, so a reload after V18 rewrites just the
 * rows that gained them (a 1-hour count is news) and leaves every other row as it is.
 */
class TokenUsageRowHashTest
{
    @Test
    void aRowWithoutOneHourCacheWritesHashesAsBeforeV18()
    {
        // the hash tracewh stored for this row before V18 added cache_creation_1h_input_tokens
        assertEquals("bb53872f3dd1ca4630f02f262e0cb932", rowHash(0));
    }

    @Test
    void oneHourCacheWritesChangeTheHash()
    {
        assertNotEquals(rowHash(0), rowHash(300));
        assertNotEquals(rowHash(300), rowHash(500));
    }

    private static String rowHash(long oneHourCacheWrites)
    {
        TokenUsage usage = new TokenUsage("msg_1", "req_1", 3, "claude-opus-4-6", Instant.parse("2026-02-16T10:00:00Z"), 3, 500, oneHourCacheWrites, 1000, 42, 0);
        Trace trace = new Trace("t", "claude_code", "/p.jsonl", "t", null, false, null, null, null, null, null, List.of(), List.of(), List.of(usage),
                new TreeMap<>(), null, null, List.of(), List.of());
        return TraceRows.of(trace, "host", List.of(), JsonLines.newMapper()).tokenUsage().getFirst().getRowHash();
    }
}
