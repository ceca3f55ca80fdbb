package dev.tracewh.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.Message;
import dev.tracewh.model.TokenUsage;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.warehouse.schema.tables.records.MessagesRecord;
import dev.tracewh.warehouse.schema.tables.records.SecretFindingsRecord;
import dev.tracewh.warehouse.schema.tables.records.SessionsRecord;
import dev.tracewh.warehouse.schema.tables.records.TokenUsageRecord;
import dev.tracewh.warehouse.schema.tables.records.ToolCallsRecord;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static dev.tracewh.warehouse.schema.Tables.SECRET_FINDINGS;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static dev.tracewh.warehouse.schema.Tables.TOKEN_USAGE;
import static dev.tracewh.warehouse.schema.Tables.TOOL_CALLS;
import static java.util.Objects.requireNonNull;

/**
 * A trace as warehouse rows with their content hashes, made without a database so the loader's parser
 * threads can do this work in parallel. Message rows hold the content's text: for a trace larger than
 * {@link #KEEP_MESSAGE_ROWS_CHARACTERS} only their hashes are kept and a row is made again when it is written,
 * so a session file of hundreds of megabytes is never held twice.
 */
public final class TraceRows
{
    static final long KEEP_MESSAGE_ROWS_CHARACTERS = 16L << 20;
    private static final RowHash.Columns SESSION_COLUMNS = RowHash.Columns.allBut(SESSIONS, SESSIONS.ROW_HASH, SESSIONS.FIRST_RUN_ID, SESSIONS.LAST_RUN_ID);
    /** A message's branch is hashed only off the active path: one on it hashes as before V17 placed messages. */
    private static final RowHash.Columns MESSAGE_COLUMNS = RowHash.Columns.allBut(MESSAGES, MESSAGES.ROW_HASH, MESSAGES.FIRST_RUN_ID, MESSAGES.LAST_RUN_ID,
            MESSAGES.IS_ACTIVE_PATH, MESSAGES.BRANCH);
    private static final RowHash.Columns TOOL_CALL_COLUMNS = RowHash.Columns.allBut(TOOL_CALLS, TOOL_CALLS.ROW_HASH, TOOL_CALLS.FIRST_RUN_ID, TOOL_CALLS.LAST_RUN_ID);
    /** A response's 1-hour cache writes are hashed only when there are some: a row without hashes as before V18 kept them. */
    private static final RowHash.Columns TOKEN_USAGE_COLUMNS = RowHash.Columns.allBut(TOKEN_USAGE, TOKEN_USAGE.ROW_HASH, TOKEN_USAGE.FIRST_RUN_ID,
            TOKEN_USAGE.LAST_RUN_ID, TOKEN_USAGE.RESPONSE_KEY, TOKEN_USAGE.CACHE_CREATION_1H_INPUT_TOKENS);
    private static final RowHash.Columns FINDING_COLUMNS = RowHash.Columns.allBut(SECRET_FINDINGS, SECRET_FINDINGS.ROW_HASH, SECRET_FINDINGS.FIRST_RUN_ID,
            SECRET_FINDINGS.LAST_RUN_ID);

    private final RowHash rowHash = new RowHash();

    private final Trace trace;
    private final ObjectMapper mapper;
    private final String traceId;
    private final List<Integer> messageKeys;
    private final List<String> messageHashes;
    private List<MessagesRecord> messages;
    private final List<ToolCallsRecord> toolCalls;
    private final List<TokenUsageRecord> tokenUsage;
    private final List<SecretFindingsRecord> secretFindings;
    private final SessionsRecord session;
    private CopyTuples copyTuples;

    /** The message and tool call rows of a new trace, encoded for PostgreSQL's COPY by {@link #prepareCopy}. */
    record CopyTuples(long runId, PostgresCopy.Tuples messages, PostgresCopy.Tuples toolCalls) {}

    private TraceRows(Trace trace, String sourceHost, List<StoredFinding> findings, ObjectMapper mapper)
    {
        this.trace = trace;
        this.mapper = mapper;
        this.traceId = TextSanitizer.clean(trace.traceId());
        this.messageKeys = new ArrayList<>(trace.messageCount());
        this.messageHashes = new ArrayList<>(trace.messageCount());
        List<MessagesRecord> kept = new ArrayList<>(trace.messageCount());
        long characters = 0;
        for (Message message : trace.messages()) {
            MessagesRecord record = messageRecord(message);
            messageKeys.add(message.ordinal());
            messageHashes.add(record.getRowHash());
            characters += length(record.getContent()) + length(record.getTextContent());
            if (characters <= KEEP_MESSAGE_ROWS_CHARACTERS) {
                kept.add(record);
            }
        }
        this.messages = characters <= KEEP_MESSAGE_ROWS_CHARACTERS ? kept : null;
        this.toolCalls = trace.toolCalls().stream().map(this::toolCallRecord).toList();
        this.tokenUsage = trace.tokenUsage().stream().map(usage -> tokenUsageRecord(trace.sourceKind(), usage)).toList();
        this.secretFindings = findings.stream().map(this::findingRecord).toList();
        this.session = sessionRecord(trace);
        session.setSourceHost(TextSanitizer.clean(sourceHost));
        List<String> childHashes = new ArrayList<>(messageHashes);
        toolCalls.forEach(record -> childHashes.add(record.getRowHash()));
        tokenUsage.forEach(record -> childHashes.add(record.getRowHash()));
        // a reload in another secrets mode stores other findings (or the same ones, not redacted): the session changed
        secretFindings.forEach(record -> childHashes.add(record.getRowHash()));
        session.setRowHash(rowHash.of(session, SESSION_COLUMNS,
                childHashes.toArray(String[]::new)));
    }

    /** The rows of {@code trace}, read from a file on {@code sourceHost}, and of the secrets found in its text. */
    public static TraceRows of(Trace trace, String sourceHost, List<StoredFinding> findings, ObjectMapper mapper)
    {
        return new TraceRows(requireNonNull(trace, "trace is null"), requireNonNull(sourceHost, "sourceHost is null"),
                List.copyOf(findings), requireNonNull(mapper, "mapper is null"));
    }

    public String traceId()
    {
        return traceId;
    }

    /**
     * Encodes the message and tool call rows for PostgreSQL's COPY as rows first written by {@code runId}, so
     * that for a new trace the writer only has to send them. Call it on a parser thread, for a file the warehouse
     * has never loaded. The message rows are then dropped: the bytes replace them, and a trace the writer
     * finds already stored after all gets its rows made again.
     */
    public void prepareCopy(long runId)
    {
        if (messages == null) {
            // a large trace is encoded by the writer, a chunk at a time
            return;
        }
        for (MessagesRecord record : messages) {
            record.setFirstRunId(runId);
            record.setLastRunId(runId);
        }
        for (ToolCallsRecord record : toolCalls) {
            record.setFirstRunId(runId);
            record.setLastRunId(runId);
        }
        copyTuples = new CopyTuples(runId, PostgresCopy.tuples(messages), PostgresCopy.tuples(toolCalls));
        messages = null;
    }

    /** What {@link #prepareCopy} encoded, or null. */
    CopyTuples copyTuples()
    {
        return copyTuples;
    }

    SessionsRecord session()
    {
        return session;
    }

    List<Integer> messageKeys()
    {
        return messageKeys;
    }

    List<String> messageHashes()
    {
        return messageHashes;
    }

    /** The row of message {@code index}: kept, or made again for a large trace. */
    MessagesRecord message(int index)
    {
        return messages != null ? messages.get(index) : messageRecord(trace.messages().get(index));
    }

    List<ToolCallsRecord> toolCalls()
    {
        return toolCalls;
    }

    List<TokenUsageRecord> tokenUsage()
    {
        return tokenUsage;
    }

    List<SecretFindingsRecord> secretFindings()
    {
        return secretFindings;
    }

    private SessionsRecord sessionRecord(Trace trace)
    {
        SessionsRecord record = new SessionsRecord();
        record.setTraceId(traceId);
        record.setSourceKind(trace.sourceKind());
        record.setSourcePath(TextSanitizer.clean(trace.sourcePath()));
        record.setRootSessionId(TextSanitizer.clean(trace.rootSessionId()));
        record.setAgentId(TextSanitizer.clean(trace.agentId()));
        record.setIsSidechain(trace.isSidechain());
        record.setCwd(TextSanitizer.clean(trace.cwd()));
        record.setProjectPath(TextSanitizer.clean(trace.projectPath()));
        record.setGitBranch(TextSanitizer.clean(trace.gitBranch()));
        record.setStartedAt(timestamp(trace.startedAt()));
        record.setEndedAt(timestamp(trace.endedAt()));
        record.setSourceMeta(TextSanitizer.clean(json(trace.sourceMeta())));
        record.setMessageCount(trace.activePathMessageCount());
        record.setToolCallCount(trace.toolCallCount());
        record.setFinalAssistantMessage(TextSanitizer.clean(trace.finalAssistantMessage()));
        record.setTitle(TextSanitizer.clean(trace.title()));
        record.setSummary(TextSanitizer.clean(trace.summary()));
        record.setToolVersions(trace.toolVersions().isEmpty() ? null : TextSanitizer.clean(String.join(",", trace.toolVersions())));
        record.setModels(trace.models().isEmpty() ? null : TextSanitizer.clean(String.join(",", trace.models())));
        return record;
    }

    private MessagesRecord messageRecord(Message message)
    {
        MessagesRecord record = new MessagesRecord();
        record.setTraceId(traceId);
        record.setOrdinal(message.ordinal());
        record.setRole(message.role().wireName());
        record.setContent(contentJson(message.content()));
        record.setTextContent(TextSanitizer.clean(message.text()));
        record.setReasoningContent(TextSanitizer.clean(message.reasoningContent()));
        record.setToolCallId(TextSanitizer.clean(message.toolCallId()));
        record.setLineNumber(message.lineNumber());
        record.setLineUuid(TextSanitizer.clean(message.lineUuid()));
        record.setParentUuid(TextSanitizer.clean(message.parentUuid()));
        record.setCreatedAt(timestamp(message.createdAt()));
        record.setModel(TextSanitizer.clean(message.model()));
        record.setApiMessageId(TextSanitizer.clean(message.apiMessageId()));
        record.setRequestId(TextSanitizer.clean(message.requestId()));
        record.setIsMeta(message.isMeta());
        record.setIsCompactSummary(message.isCompactSummary());
        record.setIsSidechain(message.isSidechain());
        record.setIsSynthetic(message.isSynthetic());
        record.setIsActivePath(message.isActivePath());
        record.setBranch(message.branch());
        record.setRowHash(message.isActivePath() ? rowHash.of(record, MESSAGE_COLUMNS) : rowHash.of(record, MESSAGE_COLUMNS, "branch " + message.branch()));
        return record;
    }

    private ToolCallsRecord toolCallRecord(ToolCall call)
    {
        ToolCallsRecord record = new ToolCallsRecord();
        record.setTraceId(traceId);
        record.setToolCallId(TextSanitizer.clean(call.toolCallId()));
        record.setMessageOrdinal(call.messageOrdinal());
        record.setCallIndex(call.callIndex());
        record.setResultOrdinal(call.resultOrdinal());
        record.setName(TextSanitizer.clean(call.name()));
        record.setArguments(TextSanitizer.clean(call.arguments()));
        if (!isResultMessageText(call)) {
            record.setResultText(TextSanitizer.clean(call.resultText()));
        }
        record.setIsError(call.isError());
        record.setExitCode(call.exitCode());
        record.setDurationSeconds(call.durationSeconds());
        record.setCalledAt(timestamp(call.calledAt()));
        record.setRowHash(rowHash.of(record, TOOL_CALL_COLUMNS));
        return record;
    }

    private TokenUsageRecord tokenUsageRecord(String sourceKind, TokenUsage usage)
    {
        TokenUsageRecord record = new TokenUsageRecord();
        record.setSourceKind(sourceKind);
        record.setResponseId(TextSanitizer.clean(usage.responseId()));
        record.setRequestId(TextSanitizer.clean(usage.requestId()));
        record.setResponseKey(ResponseKey.of(sourceKind, record.getResponseId(), record.getRequestId()));
        record.setTraceId(traceId);
        record.setMessageOrdinal(usage.messageOrdinal());
        record.setModel(TextSanitizer.clean(usage.model()));
        record.setCreatedAt(timestamp(usage.createdAt()));
        record.setInputTokens(usage.inputTokens());
        record.setCacheCreationInputTokens(usage.cacheCreationInputTokens());
        record.setCacheCreation_1hInputTokens(usage.cacheCreation1hInputTokens());
        record.setCacheReadInputTokens(usage.cacheReadInputTokens());
        record.setOutputTokens(usage.outputTokens());
        record.setReasoningOutputTokens(usage.reasoningOutputTokens());
        long oneHour = usage.cacheCreation1hInputTokens();
        record.setRowHash(oneHour == 0 ? rowHash.of(record, TOKEN_USAGE_COLUMNS) : rowHash.of(record, TOKEN_USAGE_COLUMNS, "1h " + oneHour));
        return record;
    }

    private SecretFindingsRecord findingRecord(StoredFinding finding)
    {
        SecretFindingsRecord record = new SecretFindingsRecord();
        record.setTraceId(traceId);
        record.setFindingKey(TextSanitizer.clean(finding.key()));
        record.setField(finding.field().columnName());
        record.setMessageOrdinal(finding.messageOrdinal());
        record.setToolCallId(TextSanitizer.clean(finding.toolCallId()));
        record.setStartOffset(finding.start());
        record.setEndOffset(finding.end());
        record.setRuleId(TextSanitizer.clean(finding.ruleId()));
        record.setRuleDescription(TextSanitizer.clean(finding.ruleDescription()));
        record.setLineNumber(finding.lineNumber());
        record.setFingerprint(finding.fingerprint());
        record.setRedacted(finding.redacted());
        record.setRowHash(rowHash.of(record, FINDING_COLUMNS));
        return record;
    }

    /** Whether the call's output is the text of its result message, which the warehouse then stores only once. */
    private boolean isResultMessageText(ToolCall call)
    {
        Integer ordinal = call.resultOrdinal();
        if (call.resultText() == null || ordinal == null) {
            return false;
        }
        Message result = trace.messages().get(ordinal);
        return call.resultText().equals(result.text());
    }

    /** The content blocks as JSON, or null for one text block: text_content holds that text. */
    private String contentJson(List<ContentBlock> content)
    {
        if (content.size() == 1 && content.getFirst().isText() && content.getFirst().mediaType() == null) {
            return null;
        }
        ArrayNode blocks = mapper.createArrayNode();
        for (ContentBlock block : content) {
            ObjectNode node = blocks.addObject().put("type", TextSanitizer.clean(block.type()));
            if (block.text() != null) {
                node.put("text", TextSanitizer.clean(block.text()));
            }
            if (block.mediaType() != null) {
                node.put("media_type", TextSanitizer.clean(block.mediaType()));
            }
        }
        return blocks.toString();
    }

    private String json(Map<String, Object> value)
    {
        try {
            return mapper.writeValueAsString(new LinkedHashMap<>(value));
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("source_meta is not JSON-serializable: " + e.getOriginalMessage(), e);
        }
    }

    private static long length(String value)
    {
        return value == null ? 0 : value.length();
    }

    private static OffsetDateTime timestamp(Instant instant)
    {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
