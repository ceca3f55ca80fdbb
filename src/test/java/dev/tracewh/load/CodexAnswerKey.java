package dev.tracewh.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracewh.format.codex.ThreadCreation;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static dev.tracewh.warehouse.schema.Tables.V_USAGE_DAILY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Compares a loaded warehouse with the answer key of a synthetic Codex corpus. The key counts tokens as Codex
 * does (input including cached); the warehouse stores input without cache, so cached is added back.
 */
final class CodexAnswerKey
{
    private CodexAnswerKey() {}

    static void assertCorpus(DSLContext dsl, JsonNode expected, Path corpus)
    {
        for (JsonNode session : expected.get("sessions")) {
            assertSession(dsl, session, corpus);
        }
        Map<String, List<Long>> expectedDays = new TreeMap<>();
        expected.get("corpus").get("tokens_by_day_utc").properties().forEach(day -> expectedDays.put(day.getKey(), tokens(day.getValue())));
        Map<String, List<Long>> actualDays = new TreeMap<>();
        dsl.select(V_USAGE_DAILY.DAY, DSL.sum(V_USAGE_DAILY.INPUT_TOKENS.plus(V_USAGE_DAILY.CACHE_READ_INPUT_TOKENS)),
                        DSL.sum(V_USAGE_DAILY.CACHE_READ_INPUT_TOKENS), DSL.sum(V_USAGE_DAILY.OUTPUT_TOKENS), DSL.sum(V_USAGE_DAILY.REASONING_OUTPUT_TOKENS))
                .from(V_USAGE_DAILY).where(V_USAGE_DAILY.SOURCE_KIND.eq("codex")).groupBy(V_USAGE_DAILY.DAY)
                .forEach(row -> actualDays.put(row.value1().toString(), List.of(row.value2().longValue(), row.value3().longValue(),
                        row.value4().longValue(), row.value5().longValue())));
        assertEquals(expectedDays, actualDays, "codex tokens by UTC day");
    }

    private static void assertSession(DSLContext dsl, JsonNode session, Path corpus)
    {
        String traceId = session.get("session_id").asText();
        JsonNode stats = session.get("stats");
        var row = dsl.selectFrom(SESSIONS).where(SESSIONS.TRACE_ID.eq(traceId)).fetchOne();
        if (stats.get("first_timestamp").isNull()) {
            assertNull(row, traceId + " is empty and must not be a trace");
            return;
        }
        Path rollout = corpus.resolve(session.get("file").asText());
        assertEquals(rollout.toAbsolutePath().normalize().toString(), row.getSourcePath());
        // first_timestamp is the earliest line; a trace starts at its session_meta's own, earlier timestamp
        assertEquals(ThreadCreation.expectedStartedAt(rollout, stats.get("first_timestamp")), row.getStartedAt().toInstant(), traceId + " started_at");
        assertEquals(Instant.parse(stats.get("last_timestamp").asText()), row.getEndedAt().toInstant(), traceId + " ended_at");
        // the warehouse stores an empty branch (no git) as null
        String branch = text(session.get("git_branch"));
        assertEquals(branch == null || branch.isEmpty() ? null : branch, row.getGitBranch(), traceId + " git branch");
        Map<String, Long> byName = new TreeMap<>();
        stats.get("tool_calls_by_name").properties().forEach(entry -> byName.put(entry.getKey(), entry.getValue().asLong()));
        assertEquals(byName, dsl.select(TOOL_CALLS.NAME, DSL.count()).from(TOOL_CALLS).where(TOOL_CALLS.TRACE_ID.eq(traceId)).groupBy(TOOL_CALLS.NAME)
                .fetchMap(TOOL_CALLS.NAME, r -> r.value2().longValue()), traceId + " tool calls by name");
        assertEquals(stats.get("error_tool_results").asInt(),
                dsl.fetchCount(TOOL_CALLS, TOOL_CALLS.TRACE_ID.eq(traceId).and(TOOL_CALLS.IS_ERROR.isTrue())), traceId + " error results");
        Set<String> models = new TreeSet<>();
        stats.get("models").forEach(model -> models.add(model.asText()));
        assertEquals(models, row.getModels() == null ? Set.of() : new TreeSet<>(List.of(row.getModels().split(","))), traceId + " models");
        String finalText = row.getFinalAssistantMessage();
        assertEquals(text(stats.get("final_assistant_text_sha256")), finalText == null ? null : ClaudeCodeAnswerKey.sha256(finalText), traceId + " final text");

        JsonNode tokens = stats.get("tokens");
        List<Long> actual = dsl.select(sum(TOKEN_USAGE.INPUT_TOKENS.plus(TOKEN_USAGE.CACHE_READ_INPUT_TOKENS)), sum(TOKEN_USAGE.CACHE_READ_INPUT_TOKENS),
                        sum(TOKEN_USAGE.OUTPUT_TOKENS), sum(TOKEN_USAGE.REASONING_OUTPUT_TOKENS))
                .from(TOKEN_USAGE).where(TOKEN_USAGE.TRACE_ID.eq(traceId))
                .fetchOne().intoStream().map(value -> ((Number) value).longValue()).toList();
        assertEquals(tokens.isNull() ? List.of(0L, 0L, 0L, 0L) : tokens(tokens), actual, traceId + " tokens");
    }

    private static List<Long> tokens(JsonNode tokens)
    {
        return List.of(tokens.get("input_tokens").asLong(), tokens.get("cached_input_tokens").asLong(),
                tokens.get("output_tokens").asLong(), tokens.get("reasoning_output_tokens").asLong());
    }

    private static Field<BigDecimal> sum(Field<Long> field)
    {
        return DSL.coalesce(DSL.sum(field), DSL.inline(BigDecimal.ZERO));
    }

    private static String text(JsonNode node)
    {
        return node == null || node.isNull() ? null : node.asText();
    }
}
