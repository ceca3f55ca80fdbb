package dev.tracewh.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.secrets.SecretFilter;
import dev.tracewh.warehouse.schema.tables.records.MessagesRecord;
import dev.tracewh.warehouse.schema.tables.records.SessionsRecord;
import dev.tracewh.warehouse.schema.tables.records.ToolCallsRecord;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.io.IOException;
import java.io.OutputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static java.util.Objects.requireNonNull;

/**
 * Writes traces as JSON lines in NVIDIA Data Designer's agent-rollout shape, so the file works unchanged as a
 * seed dataset. Streams three cursors ordered by trace (sessions, messages, tool calls) and merges them, so
 * memory holds one trace whatever the warehouse size; the order (by trace_id, then ordinal) is stable. Every text
 * leaves through a {@link SecretFilter}: a trace loaded with {@code --secrets detect} or {@code off} is redacted on the
 * way out unless the filter keeps secrets.
 * <p>
 * A trace holds its active path (the conversation as it ended; Claude Code keeps what a rewind abandoned), or with
 * {@code allBranches} every message in ordinal order, each with its {@code branch}. {@code message_count} and
 * {@code tool_call_count} count what the line holds.
 */
public final class TraceExporter
{
    private static final int FETCH_SIZE = 500;

    private final DSLContext dsl;
    private final ObjectMapper mapper;
    private final SecretFilter secrets;
    private final boolean allBranches;

    public TraceExporter(DSLContext dsl, ObjectMapper mapper, SecretFilter secrets, boolean allBranches)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.allBranches = allBranches;
    }

    /**
     * Writes the traces selected by {@code filter} (a condition on {@code sessions}) and returns how many. Call it
     * inside a transaction: PostgreSQL streams a cursor only inside one (H2 does not care).
     */
    public long export(Condition filter, OutputStream output)
            throws IOException
    {
        requireNonNull(filter, "filter is null");
        requireNonNull(output, "output is null");
        Condition selected = MESSAGES.TRACE_ID.in(DSL.select(SESSIONS.TRACE_ID).from(SESSIONS).where(filter));
        if (!allBranches) {
            selected = selected.and(MESSAGES.IS_ACTIVE_PATH);
        }
        Condition selectedCalls = TOOL_CALLS.TRACE_ID.in(DSL.select(SESSIONS.TRACE_ID).from(SESSIONS).where(filter));
        long written = 0;
        try (Cursor<SessionsRecord> sessions = dsl.selectFrom(SESSIONS).where(filter)
                .orderBy(SESSIONS.TRACE_ID).fetchSize(FETCH_SIZE).fetchLazy();
                TraceCursor<MessagesRecord> messages = new TraceCursor<>(dsl.selectFrom(MESSAGES).where(selected)
                        .orderBy(MESSAGES.TRACE_ID, MESSAGES.ORDINAL).fetchSize(FETCH_SIZE).fetchLazy(), MessagesRecord::getTraceId);
                TraceCursor<ToolCallsRecord> toolCalls = new TraceCursor<>(dsl.selectFrom(TOOL_CALLS).where(selectedCalls)
                        .orderBy(TOOL_CALLS.TRACE_ID, TOOL_CALLS.MESSAGE_ORDINAL, TOOL_CALLS.CALL_INDEX).fetchSize(FETCH_SIZE).fetchLazy(),
                        ToolCallsRecord::getTraceId);
                JsonGenerator json = mapper.getFactory().createGenerator(output)) {
            json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            for (SessionsRecord session : sessions) {
                writeTrace(json, session, messages, toolCalls);
                json.writeRaw('\n');
                written++;
            }
            json.flush();
        }
        return written;
    }

    private void writeTrace(JsonGenerator json, SessionsRecord session, TraceCursor<MessagesRecord> messages, TraceCursor<ToolCallsRecord> toolCalls)
            throws IOException
    {
        String traceId = session.getTraceId();
        json.writeStartObject();
        json.writeStringField("trace_id", traceId);
        json.writeStringField("source_kind", session.getSourceKind());
        json.writeStringField("source_path", session.getSourcePath());
        json.writeStringField("root_session_id", session.getRootSessionId());
        json.writeStringField("agent_id", session.getAgentId());
        json.writeBooleanField("is_sidechain", session.getIsSidechain());
        json.writeStringField("cwd", session.getCwd());
        json.writeStringField("project_path", session.getProjectPath());
        json.writeStringField("git_branch", session.getGitBranch());
        json.writeStringField("started_at", isoInstant(session.getStartedAt()));
        json.writeStringField("ended_at", isoInstant(session.getEndedAt()));
        json.writeArrayFieldStart("messages");
        Map<Integer, List<ToolCallsRecord>> callsByMessage = toolCalls.nextFor(traceId).stream()
                .collect(Collectors.groupingBy(ToolCallsRecord::getMessageOrdinal));
        // the calls of messages left out (off the active path) are never looked up, so never written
        int messageCount = 0;
        int toolCallCount = 0;
        for (MessagesRecord message : messages.nextFor(traceId)) {
            List<ToolCallsRecord> calls = callsByMessage.getOrDefault(message.getOrdinal(), List.of());
            writeMessage(json, message, calls);
            messageCount++;
            toolCallCount += calls.size();
        }
        json.writeEndArray();
        json.writeFieldName("source_meta");
        json.writeTree(mapper.readTree(secrets.json(session.getSourceMeta())));
        json.writeNumberField("message_count", messageCount);
        json.writeNumberField("tool_call_count", toolCallCount);
        json.writeStringField("final_assistant_message", secrets.text(session.getFinalAssistantMessage()));
        json.writeEndObject();
    }

    private void writeMessage(JsonGenerator json, MessagesRecord message, List<ToolCallsRecord> toolCalls)
            throws IOException
    {
        json.writeStartObject();
        json.writeStringField("role", message.getRole());
        json.writeFieldName("content");
        if (message.getContent() == null) {
            // one text block, stored only as text_content
            json.writeStartArray();
            json.writeStartObject();
            json.writeStringField("type", "text");
            json.writeStringField("text", secrets.text(message.getTextContent()));
            json.writeEndObject();
            json.writeEndArray();
        }
        else {
            json.writeTree(mapper.readTree(secrets.json(message.getContent())));
        }
        if (message.getReasoningContent() != null) {
            json.writeStringField("reasoning_content", secrets.text(message.getReasoningContent()));
        }
        if (!toolCalls.isEmpty()) {
            json.writeArrayFieldStart("tool_calls");
        }
        for (ToolCallsRecord call : toolCalls) {
            json.writeStartObject();
            json.writeStringField("id", call.getToolCallId());
            json.writeStringField("type", "function");
            json.writeObjectFieldStart("function");
            json.writeStringField("name", call.getName());
            json.writeStringField("arguments", secrets.json(call.getArguments()));
            json.writeEndObject();
            json.writeEndObject();
        }
        if (!toolCalls.isEmpty()) {
            json.writeEndArray();
        }
        if (message.getToolCallId() != null) {
            json.writeStringField("tool_call_id", message.getToolCallId());
        }
        if (allBranches) {
            json.writeNumberField("branch", message.getBranch());
        }
        json.writeEndObject();
    }

    private static String isoInstant(OffsetDateTime timestamp)
    {
        return timestamp == null ? null : DateTimeFormatter.ISO_INSTANT.format(timestamp.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
