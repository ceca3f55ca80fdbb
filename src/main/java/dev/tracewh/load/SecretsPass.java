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
    /** A private key block left in an excerpt was cut before its end, where its rule would have found it. */
    private static final String KEY_BLOCK_START = "-----BEGIN";

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
        String summary = store(trace.summary(), false, Place.ofSession(StoredFinding.Field.SUMMARY), List.of(), findings);
        // a session without a title of its own is titled by its summary: its findings stand for both
        String title = trace.title() != null && trace.title().equals(trace.summary()) ? summary
                : store(trace.title(), false, Place.ofSession(StoredFinding.Field.TITLE), List.of(), findings);
        SortedMap<String, Object> sourceMeta = sourceMeta(trace.sourceMeta(), findings);
        if (mode == SecretsMode.DETECT || findings.isEmpty()) {
            return new Result(trace, findings);
        }
        return new Result(trace.withText(messages, toolCalls, sourceMeta, title, summary), findings);
    }

    /** A load error as it is to be stored: its message may quote the line, so it is redacted like the excerpt. */
    ParseIssue apply(ParseIssue issue)
    {
        return mode == SecretsMode.OFF ? issue : new ParseIssue(issue.lineNumber(), issue.errorClass(), redact(issue.message()), issue.excerpt());
    }

    /**
     * The excerpt of a line that could not be read, from its first {@link ParseIssue#EXCERPT_WINDOW_CHARS} characters:
     * redacted in both modes that look for secrets (an error is not the session's text), then cut. A secret cut in two
     * no longer matches its rule, so a cut excerpt loses its last token, and a private key block that is not whole.
     */
    String excerpt(String window)
    {
        if (mode == SecretsMode.OFF) {
            return ParseIssue.cut(window);
        }
        String redacted = redact(window);
        String excerpt = ParseIssue.cut(redacted);
        if (excerpt.length() < redacted.length()) {
            int end = excerpt.length();
            while (end > 0 && TOKEN_CHARACTERS.indexOf(excerpt.charAt(end - 1)) >= 0) {
                end--;
            }
            excerpt = excerpt.substring(0, end);
        }
        int keyBlock = excerpt.indexOf(KEY_BLOCK_START);
        return keyBlock < 0 ? excerpt : excerpt.substring(0, keyBlock);
    }

    /** {@code text} with its secrets replaced (in both modes that look for them), for error messages. */
    String redact(String text)
    {
        return mode == SecretsMode.OFF || text == null ? text : scanner.redact(text).text();
    }

    /** Where a text is stored: its column, and the message or tool call holding it, with the source line. */
    private record Place(StoredFinding.Field field, Integer messageOrdinal, String toolCallId, Long lineNumber)
    {
        static Place ofSession(StoredFinding.Field field)
        {
            return new Place(field, null, null, null);
        }
    }

    private Message message(Message message, List<StoredFinding> findings)
    {
        List<ContentBlock> content = new ArrayList<>(message.content().size());
        boolean changed = false;
        Long line = message.lineNumber() > 0 ? message.lineNumber() : null;
        Place textContent = new Place(StoredFinding.Field.TEXT_CONTENT, message.ordinal(), null, line);
        // text_content is the text blocks joined by a blank line: a block's findings are shifted by the text before it
        List<String> before = new ArrayList<>();
        for (ContentBlock block : message.content()) {
            if (!block.isText()) {
                content.add(block);
                continue;
            }
            String text = store(block.text(), false, textContent, before, findings);
            changed |= text != block.text();
            content.add(text == block.text() ? block : block.withText(text));
            before.add(text);
        }
        String reasoning = store(message.reasoningContent(), false, new Place(StoredFinding.Field.REASONING_CONTENT, message.ordinal(), null, line),
                List.of(), findings);
        return changed || reasoning != message.reasoningContent() ? message.withText(content, reasoning) : message;
    }

    /**
     * A tool call's arguments are JSON: a secret is looked for in its decoded strings. Its result is stored once when it is
     * the result message's text (the message's findings stand for it), else scanned as its own column.
     */
    private ToolCall toolCall(ToolCall call, List<Message> read, List<Message> stored, List<StoredFinding> findings)
    {
        String arguments = store(call.arguments(), true, new Place(StoredFinding.Field.ARGUMENTS, null, call.toolCallId(), lineOf(read, call.messageOrdinal())),
                List.of(), findings);
        String result = call.resultText();
        Integer resultOrdinal = call.resultOrdinal();
        if (result != null && resultOrdinal != null && result.equals(read.get(resultOrdinal).text())) {
            result = stored.get(resultOrdinal).text();
        }
        else {
            Long resultLine = resultOrdinal == null ? null : lineOf(read, resultOrdinal);
            result = store(result, false, new Place(StoredFinding.Field.RESULT_TEXT, null, call.toolCallId(), resultLine), List.of(), findings);
        }
        return arguments == call.arguments() && result == call.resultText() ? call : call.withText(arguments, result);
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
            String stored = store(json, true, Place.ofSession(StoredFinding.Field.SOURCE_META), List.of(), findings);
            return stored == json ? sourceMeta : mapper.readValue(stored, SOURCE_META);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("source_meta is not JSON-serializable: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * {@code text} as it is to be stored (the same instance when nothing changes), recording what was found in it. Offsets
     * are counted in Unicode code points, as PostgreSQL's {@code substr} counts, from the start of the stored column,
     * in which the texts {@code before} come first, each followed by a blank line (a message's earlier text blocks).
     */
    private String store(String text, boolean json, Place place, List<String> before, List<StoredFinding> findings)
    {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String stored;
        List<SecretFinding> found;
        if (mode == SecretsMode.DETECT) {
            stored = text;
            found = json ? scanner.scanJson(text) : scanner.scan(text);
        }
        else {
            Redaction redaction = json ? scanner.redactJson(text) : scanner.redact(text);
            stored = redaction.text();
            found = redaction.findings();
        }
        if (!found.isEmpty()) {
            int base = before.stream().mapToInt(each -> each.codePointCount(0, each.length()) + 2).sum();
            for (SecretFinding finding : found) {
                int start = base + stored.codePointCount(0, finding.start());
                int end = start + stored.codePointCount(finding.start(), finding.end());
                findings.add(new StoredFinding(place.field(), place.messageOrdinal(), place.toolCallId(), start, end, finding.ruleId(), finding.description(),
                        place.lineNumber(), finding.fingerprint(), mode == SecretsMode.REDACT));
            }
        }
        return stored;
    }

    private static Long lineOf(List<Message> messages, int ordinal)
    {
        long line = messages.get(ordinal).lineNumber();
        return line > 0 ? line : null;
    }
}
