package dev.tracewh.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.Message;
import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ToolCall;
import dev.tracewh.model.Trace;
import dev.tracewh.secrets.Redaction;
import dev.tracewh.secrets.SecretFinding;
import dev.tracewh.secrets.SecretScanner;
import dev.tracewh.warehouse.StoredFinding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Looks for secrets in the text a person or a model reads (message and reasoning text, tool arguments and results,
 * titles, summaries and the source's own text facts) and, in {@link SecretsMode#REDACT}, replaces them before
 * anything is stored. Signatures, encrypted reasoning and image data are not in the model's text, so they are never
 * scanned. Runs on the parser threads; the scanner is shared and thread-safe.
 */
final class SecretsPass
{
    private static final TypeReference<TreeMap<String, Object>> SOURCE_META = new TypeReference<>() {};
    /** The characters of a token a cut excerpt may end inside: a secret cut in two no longer matches its rule. */
    private static final String TOKEN_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.~";

    private final SecretsMode mode;
    private final SecretScanner scanner;
    private final ObjectMapper mapper;

    SecretsPass(SecretsMode mode, SecretScanner scanner, ObjectMapper mapper)
    {
        this.mode = requireNonNull(mode, "mode is null");
        this.scanner = mode == SecretsMode.OFF ? null : requireNonNull(scanner, "scanner is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    static SecretsPass off(ObjectMapper mapper)
    {
        return new SecretsPass(SecretsMode.OFF, null, mapper);
    }

    /** A trace as it is to be stored, with the secrets found in it. */
    record Result(Trace trace, List<StoredFinding> findings) {}

    Result apply(Trace trace)
    {
        if (mode == SecretsMode.OFF) {
            return new Result(trace, List.of());
        }
        List<StoredFinding> findings = new ArrayList<>();
        List<Message> messages = new ArrayList<>(trace.messageCount());
        for (Message message : trace.messages()) {
            messages.add(message(message, findings));
        }
        List<ToolCall> toolCalls = new ArrayList<>(trace.toolCallCount());
        for (ToolCall call : trace.toolCalls()) {
            toolCalls.add(toolCall(call, trace.messages(), messages, findings));
        }
        String title = session(trace.title(), StoredFinding.Field.TITLE, findings);
        String summary = session(trace.summary(), StoredFinding.Field.SUMMARY, findings);
        SortedMap<String, Object> sourceMeta = sourceMeta(trace.sourceMeta(), findings);
        if (mode == SecretsMode.DETECT || findings.isEmpty()) {
            return new Result(trace, findings);
        }
        return new Result(trace.withText(messages, toolCalls, sourceMeta, title, summary), findings);
    }

    /**
     * A load error's message and excerpt as they are to be stored: redacted in both modes that look for secrets, since
     * an error is not the session's text. A cut excerpt also loses its last, possibly cut, token: the part of a
     * secret left before the cut may no longer match its rule.
     */
    ParseIssue apply(ParseIssue issue)
    {
        if (mode == SecretsMode.OFF) {
            return issue;
        }
        String excerpt = issue.excerpt();
        if (excerpt != null && excerpt.length() >= ParseIssue.EXCERPT_CHARS) {
            int end = excerpt.length();
            while (end > 0 && TOKEN_CHARACTERS.indexOf(excerpt.charAt(end - 1)) >= 0) {
                end--;
            }
            excerpt = excerpt.substring(0, end);
        }
        return new ParseIssue(issue.lineNumber(), issue.errorClass(), redact(issue.message()), redact(excerpt));
    }

    /** {@code text} with its secrets replaced (in both modes that look for them), for error messages. */
    String redact(String text)
    {
        return mode == SecretsMode.OFF || text == null ? text : scanner.redact(text).text();
    }

    private Message message(Message message, List<StoredFinding> findings)
    {
        List<ContentBlock> content = new ArrayList<>(message.content().size());
        boolean changed = false;
        Long line = message.lineNumber() > 0 ? message.lineNumber() : null;
        // text_content is the text blocks joined by a blank line: a block's findings are shifted by the text before it
        int offset = 0;
        for (ContentBlock block : message.content()) {
            if (!block.isText()) {
                content.add(block);
                continue;
            }
            String text = text(block.text(), offset, StoredFinding.Field.TEXT_CONTENT, message.ordinal(), null, line, findings);
            changed |= text != block.text();
            content.add(text == block.text() ? block : block.withText(text));
            offset += text.length() + 2;
        }
        String reasoning = text(message.reasoningContent(), 0, StoredFinding.Field.REASONING_CONTENT, message.ordinal(), null, line, findings);
        return changed || reasoning != message.reasoningContent() ? message.withText(content, reasoning) : message;
    }

    /**
     * A tool call's arguments are JSON: a secret is looked for in its decoded strings. Its result is stored once when it is
     * the result message's text (the message's findings stand for it), else scanned as its own column.
     */
    private ToolCall toolCall(ToolCall call, List<Message> read, List<Message> stored, List<StoredFinding> findings)
    {
        Long argumentsLine = lineOf(read, call.messageOrdinal());
        String arguments;
        if (mode == SecretsMode.REDACT) {
            Redaction redaction = scanner.redactJson(call.arguments());
            record(redaction.findings(), 0, StoredFinding.Field.ARGUMENTS, null, call.toolCallId(), argumentsLine, findings);
            arguments = redaction.text();
        }
        else {
            record(scanner.scanJson(call.arguments()), 0, StoredFinding.Field.ARGUMENTS, null, call.toolCallId(), argumentsLine, findings);
            arguments = call.arguments();
        }
        String result = call.resultText();
        Integer resultOrdinal = call.resultOrdinal();
        if (result != null && resultOrdinal != null && result.equals(read.get(resultOrdinal).text())) {
            result = stored.get(resultOrdinal).text();
        }
        else {
            result = text(result, 0, StoredFinding.Field.RESULT_TEXT, null, call.toolCallId(), resultOrdinal == null ? null : lineOf(read, resultOrdinal), findings);
        }
        return arguments == call.arguments() && result == call.resultText() ? call : call.withText(arguments, result);
    }

    private String session(String text, StoredFinding.Field field, List<StoredFinding> findings)
    {
        return text(text, 0, field, null, null, null, findings);
    }

    /**
     * The source's facts hold text too (Claude Code's first prompt and summaries): they are looked for in the JSON the
     * warehouse stores, so offsets are in that JSON, and put back from the redacted JSON.
     */
    private SortedMap<String, Object> sourceMeta(SortedMap<String, Object> sourceMeta, List<StoredFinding> findings)
    {
        if (sourceMeta.isEmpty()) {
            return sourceMeta;
        }
        try {
            String json = mapper.writeValueAsString(new LinkedHashMap<>(sourceMeta));
            if (mode == SecretsMode.DETECT) {
                record(scanner.scanJson(json), 0, StoredFinding.Field.SOURCE_META, null, null, null, findings);
                return sourceMeta;
            }
            Redaction redaction = scanner.redactJson(json);
            if (!redaction.changed()) {
                return sourceMeta;
            }
            record(redaction.findings(), 0, StoredFinding.Field.SOURCE_META, null, null, null, findings);
            return mapper.readValue(redaction.text(), SOURCE_META);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("source_meta is not JSON-serializable: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code text} as it is to be stored (the same instance when nothing changes), recording what was found in it. */
    private String text(String text, int offset, StoredFinding.Field field, Integer messageOrdinal, String toolCallId, Long lineNumber,
            List<StoredFinding> findings)
    {
        if (text == null || text.isEmpty()) {
            return text;
        }
        if (mode == SecretsMode.DETECT) {
            record(scanner.scan(text), offset, field, messageOrdinal, toolCallId, lineNumber, findings);
            return text;
        }
        Redaction redaction = scanner.redact(text);
        record(redaction.findings(), offset, field, messageOrdinal, toolCallId, lineNumber, findings);
        return redaction.text();
    }

    private void record(List<SecretFinding> found, int offset, StoredFinding.Field field, Integer messageOrdinal, String toolCallId, Long lineNumber,
            List<StoredFinding> findings)
    {
        for (SecretFinding finding : found) {
            findings.add(new StoredFinding(field, messageOrdinal, toolCallId, offset + finding.start(), offset + finding.end(), finding.ruleId(),
                    finding.description(), lineNumber, finding.fingerprint(), mode == SecretsMode.REDACT));
        }
    }

    private static Long lineOf(List<Message> messages, int ordinal)
    {
        long line = messages.get(ordinal).lineNumber();
        return line > 0 ? line : null;
    }
}
