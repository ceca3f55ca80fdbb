package dev.tracewh.load;

import com.fasterxml.jackson.databind.JsonNode;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.tracewh.warehouse.schema.Tables.LOAD_ERRORS;
import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static dev.tracewh.warehouse.schema.Tables.V_USAGE_DAILY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Compares a loaded warehouse with the answer key ({@code expected.json}) of a synthetic Claude Code corpus,
 * using the key's own definitions: per transcript (main file, each sidechain) and de-duplicated corpus totals.
 */
final class ClaudeCodeAnswerKey
{
    private ClaudeCodeAnswerKey() {}

    static void assertCorpus(DSLContext dsl, JsonNode expected)
    {
        JsonNode deduplicated = expected.get("corpus").get("deduplicated");
        assertEquals(counts(deduplicated.get("tool_calls_by_name")),
                dsl.select(TOOL_CALLS.NAME, DSL.countDistinct(TOOL_CALLS.TOOL_CALL_ID)).from(TOOL_CALLS).groupBy(TOOL_CALLS.NAME)
                        .fetchMap(TOOL_CALLS.NAME, r -> r.value2().longValue()), "tool calls by name");
        JsonNode tokens = deduplicated.get("tokens");
        assertEquals(List.of(tokens.get("input").asLong(), tokens.get("output").asLong(), tokens.get("cache_creation").asLong(), tokens.get("cache_read").asLong()),
                dsl.select(DSL.sum(TOKEN_USAGE.INPUT_TOKENS), DSL.sum(TOKEN_USAGE.OUTPUT_TOKENS), DSL.sum(TOKEN_USAGE.CACHE_CREATION_INPUT_TOKENS), DSL.sum(TOKEN_USAGE.CACHE_READ_INPUT_TOKENS))
                        .from(TOKEN_USAGE).fetchOne().intoStream().map(value -> ((Number) value).longValue()).toList(), "corpus tokens");

        Map<String, List<Long>> expectedDays = new TreeMap<>();
        expected.get("corpus").get("tokens_by_day_utc").properties().forEach(day -> expectedDays.put(day.getKey(), List.of(
                day.getValue().get("input").asLong(), day.getValue().get("output").asLong(),
                day.getValue().get("cache_creation").asLong(), day.getValue().get("cache_read").asLong())));
        Map<String, List<Long>> actualDays = new TreeMap<>();
        dsl.select(V_USAGE_DAILY.DAY, DSL.sum(V_USAGE_DAILY.INPUT_TOKENS), DSL.sum(V_USAGE_DAILY.OUTPUT_TOKENS),
                        DSL.sum(V_USAGE_DAILY.CACHE_CREATION_INPUT_TOKENS), DSL.sum(V_USAGE_DAILY.CACHE_READ_INPUT_TOKENS))
                .from(V_USAGE_DAILY).groupBy(V_USAGE_DAILY.DAY)
                .forEach(row -> actualDays.put(row.value1().toString(), List.of(row.value2().longValue(), row.value3().longValue(),
                        row.value4().longValue(), row.value5().longValue())));
        assertEquals(expectedDays, actualDays, "tokens by UTC day");

        Set<String> models = new TreeSet<>();
        expected.get("corpus").get("models").forEach(model -> models.add(model.asText()));
        assertEquals(models, new TreeSet<>(dsl.selectDistinct(MESSAGES.MODEL).from(MESSAGES)
                .where(MESSAGES.ROLE.eq("assistant").and(MESSAGES.IS_SYNTHETIC.isFalse()).and(MESSAGES.MODEL.isNotNull()))
                .fetch(MESSAGES.MODEL)), "models");

        Set<String> replayed = new HashSet<>();
        for (JsonNode session : expected.get("sessions")) {
            JsonNode source = session.path("flags").path("replayed_prefix_from");
            if (!source.isMissingNode()) {
                replayed.add(session.get("session_id").asText());
                replayed.add(source.asText());
            }
        }
        for (JsonNode session : expected.get("sessions")) {
            String sessionId = session.get("session_id").asText();
            // a replayed prefix is counted once in the warehouse, so per-trace tokens differ for such pairs by design
            boolean compareTokens = !replayed.contains(sessionId);
            assertTranscript(dsl, sessionId, session.get("main"), compareTokens);
            for (JsonNode sidechain : session.get("sidechains")) {
                assertTranscript(dsl, sessionId + ":" + sidechain.get("agent_id").asText(), sidechain.get("stats"), compareTokens);
            }
        }
    }

    private static void assertTranscript(DSLContext dsl, String traceId, JsonNode stats, boolean compareTokens)
    {
        var session = dsl.selectFrom(SESSIONS).where(SESSIONS.TRACE_ID.eq(traceId)).fetchOne();
        if (stats.get("first_timestamp").isNull() && stats.get("assistant_responses").asInt() == 0 && stats.get("user_prompts").asInt() == 0) {
            assertNull(session, traceId + " has no conversation and must not be a trace");
            return;
        }
        assertEquals(Instant.parse(stats.get("first_timestamp").asText()), instant(session.getStartedAt()), traceId + " started_at");
        assertEquals(Instant.parse(stats.get("last_timestamp").asText()), instant(session.getEndedAt()), traceId + " ended_at");
        assertEquals(counts(stats.get("tool_calls_by_name")),
                dsl.select(TOOL_CALLS.NAME, DSL.count()).from(TOOL_CALLS).where(TOOL_CALLS.TRACE_ID.eq(traceId)).groupBy(TOOL_CALLS.NAME)
                        .fetchMap(TOOL_CALLS.NAME, r -> r.value2().longValue()), traceId + " tool calls by name");
        assertEquals(stats.get("error_tool_results").asInt(),
                dsl.fetchCount(TOOL_CALLS, TOOL_CALLS.TRACE_ID.eq(traceId).and(TOOL_CALLS.IS_ERROR.isTrue())), traceId + " error results");
        assertEquals(stats.get("assistant_responses").asInt(),
                dsl.select(DSL.countDistinct(MESSAGES.API_MESSAGE_ID)).from(MESSAGES)
                        .where(MESSAGES.TRACE_ID.eq(traceId).and(MESSAGES.ROLE.eq("assistant")).and(MESSAGES.IS_SYNTHETIC.isFalse()))
                        .fetchOne(0, Integer.class), traceId + " assistant responses");
        String finalText = session.getFinalAssistantMessage();
        if (stats.get("final_assistant_text_sha256").isNull()) {
            assertNull(finalText, traceId + " final assistant text");
        }
        else {
            assertEquals(stats.get("final_assistant_text_sha256").asText(), sha256(finalText), traceId + " final assistant text");
            assertEquals(stats.get("final_assistant_text_chars").asInt(), finalText.codePointCount(0, finalText.length()), traceId + " final text length");
        }
        Set<String> models = new TreeSet<>();
        stats.get("models").forEach(model -> models.add(model.asText()));
        assertEquals(models, session.getModels() == null ? Set.of() : new TreeSet<>(List.of(session.getModels().split(","))), traceId + " models");
        if (compareTokens) {
            JsonNode tokens = stats.get("tokens");
            assertEquals(List.of(tokens.get("input").asLong(), tokens.get("output").asLong(), tokens.get("cache_creation").asLong(), tokens.get("cache_read").asLong()),
                    dsl.select(DSL.coalesce(DSL.sum(TOKEN_USAGE.INPUT_TOKENS), DSL.inline(java.math.BigDecimal.ZERO)),
                                    DSL.coalesce(DSL.sum(TOKEN_USAGE.OUTPUT_TOKENS), DSL.inline(java.math.BigDecimal.ZERO)),
                                    DSL.coalesce(DSL.sum(TOKEN_USAGE.CACHE_CREATION_INPUT_TOKENS), DSL.inline(java.math.BigDecimal.ZERO)),
                                    DSL.coalesce(DSL.sum(TOKEN_USAGE.CACHE_READ_INPUT_TOKENS), DSL.inline(java.math.BigDecimal.ZERO)))
                            .from(TOKEN_USAGE).where(TOKEN_USAGE.TRACE_ID.eq(traceId))
                            .fetchOne().intoStream().map(value -> ((Number) value).longValue()).toList(), traceId + " tokens");
        }
    }

    /** The broken lines the key lists (not JSON, not an object) are exactly the load errors; nothing else is. */
    static void assertFaults(DSLContext dsl, JsonNode expected, Path corpus)
    {
        Set<String> expectedErrors = new TreeSet<>();
        for (JsonNode fault : expected.get("faults")) {
            String kind = fault.get("kind").asText();
            if (kind.equals("invalid_json_middle") || kind.equals("non_object_line")) {
                expectedErrors.add(fault.get("file").asText() + ":" + fault.get("line").asLong());
            }
        }
        List<String> actualErrors = new ArrayList<>();
        dsl.select(LOAD_ERRORS.SOURCE_PATH, LOAD_ERRORS.LINE_NUMBER).from(LOAD_ERRORS)
                .forEach(row -> actualErrors.add(corpus.toAbsolutePath().normalize().relativize(Path.of(row.value1())) + ":" + row.value2()));
        assertEquals(expectedErrors, new TreeSet<>(actualErrors));
        assertEquals(expectedErrors.size(), actualErrors.size());
    }

    private static Map<String, Long> counts(JsonNode object)
    {
        Map<String, Long> counts = new TreeMap<>();
        object.properties().forEach(entry -> counts.put(entry.getKey(), entry.getValue().asLong()));
        return counts;
    }

    private static Instant instant(OffsetDateTime timestamp)
    {
        return timestamp == null ? null : timestamp.toInstant();
    }

    static String sha256(String text)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
