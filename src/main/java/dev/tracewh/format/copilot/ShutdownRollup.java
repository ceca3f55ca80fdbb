package dev.tracewh.format.copilot;

import dev.tracewh.model.TokenUsage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's token totals per model from its {@code session.shutdown.modelMetrics}, for a session the store has no
 * rows of. One process leg of a session ends with a shutdown, and on current CLIs (measured on 1.0.80) its counters
 * are cumulative over the earlier legs and start again at a successful compaction: summing every shutdown would count
 * the first legs again and again. So per model the last shutdown before each compaction counts, and those are added
 * up. A counter that goes down between two shutdowns was reset too (a compaction the log does not show, or an older
 * CLI whose shutdowns are per process), and the value before the drop is added as well. An older CLI's leg that used
 * more than the one before it cannot be told from a cumulative counter and is undercounted.
 */
final class ShutdownRollup
{
    /** One model's counts as the CLI writes them: {@code input} includes the cache reads and writes. */
    record Counts(long input, long output, long cacheRead, long cacheWrite, long reasoning)
    {
        boolean anyBelow(Counts earlier)
        {
            return input < earlier.input || output < earlier.output || cacheRead < earlier.cacheRead || cacheWrite < earlier.cacheWrite
                    || reasoning < earlier.reasoning;
        }

        Counts plus(Counts other)
        {
            return new Counts(input + other.input, output + other.output, cacheRead + other.cacheRead, cacheWrite + other.cacheWrite,
                    reasoning + other.reasoning);
        }
    }

    private final Map<String, Counts> banked = new LinkedHashMap<>();
    private final Map<String, Counts> current = new LinkedHashMap<>();
    private Instant lastShutdownAt;
    private int resets;

    /** A successful compaction: the counters start again from zero. */
    void compacted()
    {
        current.forEach(this::bank);
        current.clear();
    }

    void shutdown(Map<String, Counts> modelMetrics, Instant at)
    {
        modelMetrics.forEach((model, counts) -> {
            Counts before = current.get(model);
            if (before != null && counts.anyBelow(before)) {
                resets++;
                bank(model, before);
            }
            current.put(model, counts);
        });
        if (at != null) {
            lastShutdownAt = at;
        }
    }

    private void bank(String model, Counts counts)
    {
        banked.merge(model, counts, Counts::plus);
    }

    boolean isEmpty()
    {
        return banked.isEmpty() && current.isEmpty();
    }

    /** How many times a counter went down between two shutdowns with no compaction between them. */
    int resets()
    {
        return resets;
    }

    /** One session-total row per model, keyed by the session and the model, dated by the last shutdown. */
    List<TokenUsage> usage(String sessionId)
    {
        Map<String, Counts> totals = new LinkedHashMap<>(banked);
        current.forEach((model, counts) -> totals.merge(model, counts, Counts::plus));
        List<TokenUsage> rows = new ArrayList<>();
        totals.forEach((model, counts) -> rows.add(Tokens.usage("session-total:" + model, sessionId, null, model, lastShutdownAt, counts.input(),
                counts.output(), counts.cacheRead(), counts.cacheWrite(), counts.reasoning())));
        return rows;
    }
}
