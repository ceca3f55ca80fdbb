package dev.tracewh.distill;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.distill.SftConversation.ChatMessage;
import dev.tracewh.distill.SftConversation.SourceMessage;
import dev.tracewh.distill.SftConversation.SourceToolCall;
import dev.tracewh.export.TraceCursor;
import dev.tracewh.secrets.SecretFilter;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.Record5;
import org.jooq.Record6;
import org.jooq.Records;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.impl.DSL;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static dev.tracewh.warehouse.schema.Tables.EXPORTS;
import static dev.tracewh.warehouse.schema.Tables.EXPORT_ITEMS;
import static dev.tracewh.warehouse.schema.Tables.JUDGE_RUNS;
import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SCORES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static dev.tracewh.warehouse.schema.Tables.V_MESSAGE_KINDS;
import static dev.tracewh.warehouse.schema.Tables.V_SFT_CANDIDATES;
import static java.util.Objects.requireNonNull;

/**
 * Writes chosen traces as chat fine-tuning JSONL (OpenAI / Hugging Face TRL): one
 * {@code {"messages": [...], "metadata": {...}}} per trace, ordered by trace id. Messages of kind meta, command,
 * compact_summary and synthetic ({@code v_message_kinds}), empty user messages and, unless
 * {@link SftSelection#allBranches()}, messages off the active path are left out; tool calls are
 * paired with their results ({@link SftConversation}); a trace left without a user or an assistant message is
 * skipped. The selected trace ids go to {@code export_items} first, then three cursors ordered by trace stream
 * the file with one trace in memory; the {@code exports} row gets the counts and the file's SHA-256, all in one
 * transaction.
 */
public final class SftExporter
{
    private static final int FETCH_SIZE = 500;
    private static final int DELETE_CHUNK = 1000;
    private static final int INSERT_CHUNK = 1000;
    private static final List<String> LEFT_OUT_KINDS = List.of("meta", "command", "compact_summary", "synthetic");
    /** Data Designer's rubrics (0-4) and its digest's label, the columns of v_trace_scores. */
    private static final List<String> RUBRICS = List.of("groundedness", "standalone_task", "response_quality", "faithfulness", "training_utility");
    private static final String TRAINING_VALUE = "training_value";

    private final DSLContext dsl;
    private final DSLContext reader;
    private final ObjectMapper mapper;

    /** {@code reader} evaluates the selection's condition; {@code dsl} reads the traces and records the export. */
    public SftExporter(DSLContext dsl, DSLContext reader, ObjectMapper mapper)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /**
     * Writes the selected traces to {@code output} (not closed) and records the export under {@code outputName}. Every
     * text leaves through {@code secrets}, which redacts what a load in detect or off mode stored as it was.
     */
    public SftExport export(SftSelection selection, String outputName, OutputStream output, SecretFilter secrets)
    {
        requireNonNull(selection, "selection is null");
        requireNonNull(outputName, "outputName is null");
        requireNonNull(output, "output is null");
        requireNonNull(secrets, "secrets is null");
        ObjectNode options = mapper.createObjectNode()
                .put("include_sidechains", selection.includeSidechains())
                .put("include_reasoning", selection.includeReasoning())
                .put("all_branches", selection.allBranches())
                .put("keep_secrets", !secrets.redacts());
        selection.judgeRunIds().forEach(options.putArray("judge_run_ids")::add);
        return dsl.transactionResult(configuration -> {
            DSLContext transaction = DSL.using(configuration);
            long exportId = transaction.insertInto(EXPORTS)
                    .set(EXPORTS.KIND, "sft")
                    .set(EXPORTS.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .set(EXPORTS.FILTER_SQL, selection.filterSql())
                    .set(EXPORTS.JUDGE_RUN_ID, selection.judgeRunIds().stream().max(Long::compare).orElse(null))
                    .set(EXPORTS.OPTIONS, options.toString())
                    .set(EXPORTS.OUTPUT, outputName)
                    .set(EXPORTS.TRACE_COUNT, 0)
                    .set(EXPORTS.MESSAGE_COUNT, 0L)
                    .returningResult(EXPORTS.EXPORT_ID)
                    .fetchSingle()
                    .value1();

            recordChosen(transaction, exportId, selection);

            Written written = write(transaction, exportId, selection, output, secrets);
            for (int start = 0; start < written.skipped().size(); start += DELETE_CHUNK) {
                transaction.deleteFrom(EXPORT_ITEMS)
                        .where(EXPORT_ITEMS.EXPORT_ID.eq(exportId))
                        .and(EXPORT_ITEMS.TRACE_ID.in(written.skipped().subList(start, Math.min(start + DELETE_CHUNK, written.skipped().size()))))
                        .execute();
            }
            transaction.update(EXPORTS)
                    .set(EXPORTS.TRACE_COUNT, written.traces())
                    .set(EXPORTS.MESSAGE_COUNT, written.messages())
                    .set(EXPORTS.SHA256, written.sha256())
                    .where(EXPORTS.EXPORT_ID.eq(exportId))
                    .execute();
            return new SftExport(exportId, written.traces(), written.messages(), written.sha256(), written.skipped().size());
        });
    }

    /**
     * Fills {@code export_items} with the traces the selection chooses. The user's condition is evaluated by the
     * reader, which may be another connection (see {@link dev.tracewh.usersql.UserSqlSession#conditionReader}):
     * the trace ids stream from it into inserts of a thousand rows on the export's transaction.
     */
    private void recordChosen(DSLContext transaction, long exportId, SftSelection selection)
    {
        Condition chosen = selection.condition();
        if (!selection.includeSidechains()) {
            chosen = chosen.and(V_SFT_CANDIDATES.IS_SIDECHAIN.isFalse());
        }
        try (Cursor<Record1<String>> traceIds = reader.select(V_SFT_CANDIDATES.TRACE_ID)
                .from(candidates(selection))
                .where(chosen)
                .fetchSize(FETCH_SIZE)
                .fetchLazy()) {
            List<String> chunk = new ArrayList<>(INSERT_CHUNK);
            for (Record1<String> traceId : traceIds) {
                chunk.add(traceId.value1());
                if (chunk.size() == INSERT_CHUNK) {
                    insertItems(transaction, exportId, chunk);
                    chunk.clear();
                }
            }
            insertItems(transaction, exportId, chunk);
        }
    }

    private static void insertItems(DSLContext transaction, long exportId, List<String> traceIds)
    {
        if (traceIds.isEmpty()) {
            return;
        }
        var insert = transaction.insertInto(EXPORT_ITEMS, EXPORT_ITEMS.EXPORT_ID, EXPORT_ITEMS.TRACE_ID);
        for (String traceId : traceIds) {
            insert = insert.values(exportId, traceId);
        }
        insert.execute();
    }

    /**
     * {@code v_sft_candidates}, or with judge runs: the same columns with each rubric's score from the latest of those
     * runs that scored it and recommended_for_sft by Data Designer's rule on them (as {@code v_trace_scores} applies it
     * to the latest scores of all runs), under the same name so that the condition reads the same.
     */
    private static Table<?> candidates(SftSelection selection)
    {
        if (selection.judgeRunIds().isEmpty()) {
            return V_SFT_CANDIDATES;
        }
        Field<Integer> recency = DSL.rowNumber().over(DSL.partitionBy(SCORES.TRACE_ID, SCORES.NAME).orderBy(SCORES.JUDGE_RUN_ID.desc())).as("recency");
        Table<?> latest = DSL.select(SCORES.TRACE_ID, SCORES.NAME, SCORES.VALUE, SCORES.LABEL, SCORES.JUDGE_RUN_ID, recency)
                .from(SCORES)
                .where(SCORES.JUDGE_RUN_ID.in(selection.judgeRunIds().stream().map(DSL::inline).toList()))
                .and(SCORES.TARGET_TYPE.eq(DSL.inline("trace")))
                .and(SCORES.NAME.in(Stream.concat(RUBRICS.stream(), Stream.of(TRAINING_VALUE)).map(DSL::inline).toList()))
                .asTable("latest");
        List<Field<?>> pivot = new ArrayList<>(List.of(latest.field(SCORES.TRACE_ID), DSL.max(latest.field(SCORES.JUDGE_RUN_ID)).as(SCORES.JUDGE_RUN_ID)));
        for (String rubric : RUBRICS) {
            pivot.add(DSL.max(DSL.when(latest.field(SCORES.NAME).eq(DSL.inline(rubric)), latest.field(SCORES.VALUE))).as(rubric));
        }
        pivot.add(DSL.max(DSL.when(latest.field(SCORES.NAME).eq(DSL.inline(TRAINING_VALUE)), latest.field(SCORES.LABEL))).as(TRAINING_VALUE));
        Table<?> pinned = DSL.select(pivot).from(latest).where(latest.field(recency).eq(DSL.inline(1)))
                .groupBy(latest.field(SCORES.TRACE_ID)).asTable("pinned");

        Condition recommended = pinned.field(TRAINING_VALUE, String.class).eq(DSL.inline("high"));
        for (String rubric : RUBRICS) {
            recommended = recommended.and(pinned.field(rubric, Double.class).ge(DSL.inline(4.0)));
        }
        List<Field<?>> fields = new ArrayList<>();
        for (Field<?> field : V_SFT_CANDIDATES.fields()) {
            if (field.equals(V_SFT_CANDIDATES.RECOMMENDED_FOR_SFT)) {
                fields.add(DSL.coalesce(DSL.field(recommended), DSL.inline(false)).as(field.getName()));
            }
            else if (field.equals(V_SFT_CANDIDATES.JUDGE_NAME)) {
                fields.add(JUDGE_RUNS.NAME.as(field.getName()));
            }
            else if (pinned.field(field.getName()) != null && !field.equals(V_SFT_CANDIDATES.TRACE_ID)) {
                fields.add(pinned.field(field.getName()).as(field.getName()));
            }
            else {
                fields.add(field);
            }
        }
        return DSL.select(fields)
                .from(V_SFT_CANDIDATES)
                .leftJoin(pinned).on(pinned.field(SCORES.TRACE_ID).eq(V_SFT_CANDIDATES.TRACE_ID))
                .leftJoin(JUDGE_RUNS).on(JUDGE_RUNS.JUDGE_RUN_ID.eq(pinned.field(SCORES.JUDGE_RUN_ID)))
                .asTable(V_SFT_CANDIDATES.getName());
    }

    private record Written(int traces, long messages, String sha256, List<String> skipped) {}

    private Written write(DSLContext transaction, long exportId, SftSelection selection, OutputStream output, SecretFilter secrets)
            throws IOException
    {
        Condition sessionExported = SESSIONS.TRACE_ID.in(exported(exportId));
        Condition onBranches = selection.allBranches() ? DSL.noCondition() : DSL.condition(MESSAGES.IS_ACTIVE_PATH);
        MessageDigest sha256 = sha256();
        int traces = 0;
        long messages = 0;
        List<String> skipped = new ArrayList<>();
        try (var sessions = transaction.select(SESSIONS.TRACE_ID, SESSIONS.SOURCE_KIND, SESSIONS.PROJECT_PATH, SESSIONS.GIT_BRANCH, SESSIONS.STARTED_AT)
                        .from(SESSIONS)
                        .where(sessionExported)
                        .orderBy(SESSIONS.TRACE_ID)
                        .fetchSize(FETCH_SIZE)
                        .fetchLazy();
                TraceCursor<Record6<String, Integer, String, String, String, String>> messageRows = new TraceCursor<>(transaction
                        .select(MESSAGES.TRACE_ID, MESSAGES.ORDINAL, MESSAGES.ROLE, MESSAGES.TEXT_CONTENT, MESSAGES.REASONING_CONTENT, MESSAGES.TOOL_CALL_ID)
                        .from(MESSAGES)
                        .join(V_MESSAGE_KINDS).on(V_MESSAGE_KINDS.TRACE_ID.eq(MESSAGES.TRACE_ID).and(V_MESSAGE_KINDS.ORDINAL.eq(MESSAGES.ORDINAL)))
                        .where(MESSAGES.TRACE_ID.in(exported(exportId)))
                        .and(V_MESSAGE_KINDS.KIND.notIn(LEFT_OUT_KINDS))
                        .and(V_MESSAGE_KINDS.KIND.ne("empty").or(MESSAGES.ROLE.ne("user")))
                        .and(onBranches)
                        .orderBy(MESSAGES.TRACE_ID, MESSAGES.ORDINAL)
                        .fetchSize(FETCH_SIZE)
                        .fetchLazy(), Record6::value1);
                TraceCursor<Record5<String, String, Integer, String, String>> toolCallRows = new TraceCursor<>(transaction
                        .select(TOOL_CALLS.TRACE_ID, TOOL_CALLS.TOOL_CALL_ID, TOOL_CALLS.MESSAGE_ORDINAL, TOOL_CALLS.NAME, TOOL_CALLS.ARGUMENTS)
                        .from(TOOL_CALLS)
                        .where(TOOL_CALLS.TRACE_ID.in(exported(exportId)))
                        .orderBy(TOOL_CALLS.TRACE_ID, TOOL_CALLS.MESSAGE_ORDINAL, TOOL_CALLS.CALL_INDEX)
                        .fetchSize(FETCH_SIZE)
                        .fetchLazy(), Record5::value1);
                JsonGenerator json = mapper.getFactory().createGenerator(new DigestOutputStream(output, sha256))) {
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            for (Record5<String, String, String, String, OffsetDateTime> session : sessions) {
                String traceId = session.value1();
                List<SourceMessage> traceMessages = messageRows.nextFor(traceId).stream()
                        .map(Records.mapping((String trace, Integer ordinal, String role, String text, String reasoning, String toolCallId) ->
                                new SourceMessage(ordinal, role, text, reasoning, toolCallId)))
                        .toList();
                List<SourceToolCall> traceToolCalls = toolCallRows.nextFor(traceId).stream()
                        .map(Records.mapping((String trace, String id, Integer ordinal, String name, String arguments) ->
                                new SourceToolCall(id, ordinal, name, arguments)))
                        .toList();
                List<ChatMessage> chat = SftConversation.of(traceMessages, traceToolCalls, selection.includeReasoning());
                if (chat.stream().noneMatch(message -> message.role().equals("user")) || chat.stream().noneMatch(message -> message.role().equals("assistant"))) {
                    skipped.add(traceId);
                    continue;
                }
                writeLine(json, chat, session, secrets);
                traces++;
                messages += chat.size();
            }
            json.flush();
        }
        return new Written(traces, messages, HexFormat.of().formatHex(sha256.digest()), skipped);
    }

    private static Select<Record1<String>> exported(long exportId)
    {
        return DSL.select(EXPORT_ITEMS.TRACE_ID).from(EXPORT_ITEMS).where(EXPORT_ITEMS.EXPORT_ID.eq(exportId));
    }

    private static void writeLine(JsonGenerator json, List<ChatMessage> chat, Record5<String, String, String, String, OffsetDateTime> session,
            SecretFilter secrets)
            throws IOException
    {
        json.writeStartObject();
        json.writeArrayFieldStart("messages");
        for (ChatMessage message : chat) {
            json.writeStartObject();
            json.writeStringField("role", message.role());
            json.writeStringField("content", secrets.text(message.content()));
            if (message.reasoning().isPresent()) {
                json.writeStringField("reasoning_content", secrets.text(message.reasoning().get()));
            }
            if (!message.toolCalls().isEmpty()) {
                json.writeArrayFieldStart("tool_calls");
                for (SourceToolCall call : message.toolCalls()) {
                    json.writeStartObject();
                    json.writeStringField("id", call.id());
                    json.writeStringField("type", "function");
                    json.writeObjectFieldStart("function");
                    json.writeStringField("name", call.name());
                    json.writeStringField("arguments", secrets.json(call.arguments()));
                    json.writeEndObject();
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            if (message.toolCallId().isPresent()) {
                json.writeStringField("tool_call_id", message.toolCallId().get());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeObjectFieldStart("metadata");
        json.writeStringField("trace_id", session.value1());
        json.writeStringField("source_kind", session.value2());
        json.writeStringField("project_path", session.value3());
        json.writeStringField("git_branch", session.value4());
        json.writeStringField("started_at", session.value5() == null ? null : DateTimeFormatter.ISO_INSTANT.format(session.value5()));
        json.writeEndObject();
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
