package dev.tracewh.format.hermes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonFields;
import dev.tracewh.format.MessageDraft;
import dev.tracewh.format.TraceAssembler;
import dev.tracewh.model.ContentBlock;
import dev.tracewh.model.Role;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One Hermes message, an OpenAI chat-completions dict as the agent holds it (the same in a CLI snapshot, a gateway
 * transcript line and a state.db row), into the trace being assembled. A message that cannot be read is an issue and
 * is left out; a tool call that cannot be read is an issue and the rest of its message is kept.
 */
final class MessageReader
{
    static final String INVALID_MESSAGE = "invalid_message";
    static final String UNSUPPORTED_ROLE = "unsupported_role";
    static final String INVALID_TOOL_CALL = "invalid_tool_call";
    /** A row of gateway metadata, not a message: Hermes itself skips it when it reloads a transcript. */
    static final String SESSION_META = "session_meta";

    /** Where a parser files what could not be read. */
    @FunctionalInterface
    interface Issues
    {
        void add(long line, String errorClass, String message, JsonNode node);
    }

    private final TraceAssembler trace;
    private final ObjectMapper mapper;
    private final Issues issues;
    private final Set<String> finishReasons = new LinkedHashSet<>();
    private final Set<String> toolNamesUsed = new LinkedHashSet<>();

    MessageReader(TraceAssembler trace, ObjectMapper mapper, Issues issues)
    {
        this.trace = requireNonNull(trace, "trace is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.issues = requireNonNull(issues, "issues is null");
    }

    /**
     * Adds {@code node} as a message and returns its draft (which the caller may still mark), or null when it is not
     * a message: a {@code session_meta} row, or one that could not be read.
     */
    MessageDraft add(JsonNode node, long line, Instant timestamp, String model)
    {
        if (!node.isObject()) {
            issues.add(line, INVALID_MESSAGE, "the message is not an object: skipped", node);
            return null;
        }
        String roleName = JsonFields.text(node, "role");
        if (SESSION_META.equals(roleName)) {
            trace.count("session_meta_rows");
            return null;
        }
        Role role = roleName == null ? null : switch (roleName) {
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            case "system", "developer" -> Role.SYSTEM;
            case "tool" -> Role.TOOL;
            default -> null;
        };
        if (role == null) {
            issues.add(line, UNSUPPORTED_ROLE, "role " + node.get("role") + " is not user, assistant, system or tool: skipped", node);
            return null;
        }
        trace.countRecordType(roleName);
        trace.seeTimestamp(timestamp);
        MessageDraft message = new MessageDraft(role);
        message.lineNumber = line;
        message.createdAt = timestamp;
        String reasoning = JsonFields.nonEmptyText(node, "reasoning");
        String reasoningContent = JsonFields.nonEmptyText(node, "reasoning_content");
        message.addReasoning(reasoning);
        if (reasoningContent != null && !reasoningContent.equals(reasoning)) {
            message.addReasoning(reasoningContent);
        }
        if (JsonFields.isTrue(node, "mirror")) {
            // a delivery mirrored from another platform, not something the model answered here: never the final answer
            message.isMeta = true;
            message.isSynthetic = true;
            trace.count("mirror_rows");
        }
        String finishReason = JsonFields.nonEmptyText(node, "finish_reason");
        if (role == Role.ASSISTANT) {
            message.model = model;
            trace.addModel(model);
            if (finishReason != null) {
                finishReasons.add(finishReason);
            }
        }
        if (role == Role.TOOL) {
            toolResult(node, message, line, finishReason);
            return message;
        }
        content(node.get("content"), message.content);
        trace.add(message);
        toolCalls(node, line, timestamp);
        return message;
    }

    Set<String> finishReasons()
    {
        return finishReasons;
    }

    Set<String> toolNamesUsed()
    {
        return toolNamesUsed;
    }

    private void toolCalls(JsonNode node, long line, Instant timestamp)
    {
        JsonNode calls = node.get("tool_calls");
        if (calls == null || calls.isNull()) {
            return;
        }
        if (!calls.isArray()) {
            issues.add(line, INVALID_TOOL_CALL, "tool_calls is not a list: the message is kept without its calls", node);
            return;
        }
        for (JsonNode call : calls) {
            JsonNode function = call.isObject() ? JsonFields.object(call, "function") : null;
            String id = call.isObject() ? firstText(call, "id", "call_id") : null;
            String name = function != null && JsonFields.nonEmptyText(function, "name") != null ? function.get("name").textValue()
                    : call.isObject() ? JsonFields.nonEmptyText(call, "name") : null;
            if (id == null || name == null) {
                issues.add(line, INVALID_TOOL_CALL, "a tool call has no id (or call_id) or no function name: left out", call);
                continue;
            }
            JsonNode arguments = function != null && function.has("arguments") ? function.get("arguments") : call.get("arguments");
            trace.addToolCall(id, name, arguments(arguments), timestamp);
            toolNamesUsed.add(name);
        }
    }

    /**
     * A tool result. The terminal tool returns a JSON string {@code {"output", "exit_code", "error"}}: its output is
     * the text, a non-zero exit code or an error makes it an error. A {@code finish_reason} of "error" on the tool
     * message (as in the agent-sessions fixtures) is an error too.
     */
    private void toolResult(JsonNode node, MessageDraft message, long line, String finishReason)
    {
        message.toolCallId = JsonFields.nonEmptyText(node, "tool_call_id");
        JsonNode content = node.get("content");
        Boolean isError = "error".equals(finishReason) ? Boolean.TRUE : null;
        Long exitCode = null;
        JsonNode terminal = content != null && content.isTextual() ? terminalResult(content.textValue()) : null;
        if (terminal != null) {
            trace.count("terminal_results");
            String output = JsonFields.text(terminal, "output");
            JsonNode error = terminal.get("error");
            String errorText = error == null || error.isNull() ? null : error.isTextual() ? error.textValue() : error.toString();
            JsonNode exit = terminal.get("exit_code");
            exitCode = exit != null && exit.canConvertToLong() && exit.isIntegralNumber() ? exit.longValue() : null;
            StringBuilder text = new StringBuilder(output != null ? output : "");
            if (errorText != null && !errorText.isEmpty()) {
                text.append(text.isEmpty() ? "" : "\n\n").append(errorText);
            }
            message.content.add(ContentBlock.text(text.toString()));
            if ((exitCode != null && exitCode != 0) || (errorText != null && !errorText.isEmpty())) {
                isError = Boolean.TRUE;
            }
            else if (isError == null) {
                isError = Boolean.FALSE;
            }
        }
        else {
            content(content, message.content);
        }
        int ordinal = trace.add(message);
        if (message.toolCallId == null) {
            trace.count("tool_results_without_call_id");
            return;
        }
        trace.addToolResult(message.toolCallId, ordinal, message.content.isEmpty() ? "" : joined(message.content), isError, exitCode, null);
    }

    /** The parsed {@code {output, exit_code, error}} object of a terminal result, or null for any other text. */
    private JsonNode terminalResult(String text)
    {
        if (!text.startsWith("{") || !text.contains("\"output\"")) {
            return null;
        }
        try {
            JsonNode parsed = mapper.readTree(text);
            return parsed != null && parsed.isObject() && parsed.has("output") && (parsed.has("exit_code") || parsed.has("error")) ? parsed : null;
        }
        catch (IOException notJson) {
            return null;
        }
    }

    /** Text, content-part lists (multimodal user turns) and, for anything else, its JSON text. */
    static void content(JsonNode value, List<ContentBlock> blocks)
    {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isTextual()) {
            blocks.add(ContentBlock.text(value.textValue()));
            return;
        }
        if (!value.isArray()) {
            blocks.add(ContentBlock.text(value.toString()));
            return;
        }
        for (JsonNode part : value) {
            String type = JsonFields.text(part, "type");
            if (part.isTextual()) {
                blocks.add(ContentBlock.text(part.textValue()));
            }
            else if (("text".equals(type) || type == null) && part.path("text").isTextual()) {
                blocks.add(ContentBlock.text(part.get("text").textValue()));
            }
            else if ("image_url".equals(type) || "image".equals(type) || "input_image".equals(type)) {
                // the payload is a data URL or a remote link: only the kind of block is kept
                blocks.add(new ContentBlock("image", null, null));
            }
            else {
                blocks.add(ContentBlock.text(part.toString()));
            }
        }
    }

    private static String joined(List<ContentBlock> blocks)
    {
        StringBuilder text = new StringBuilder();
        for (ContentBlock block : blocks) {
            if (block.isText()) {
                text.append(text.isEmpty() ? "" : "\n\n").append(block.text());
            }
        }
        return text.toString();
    }

    /** Arguments are a JSON string in Hermes; an object is kept as its JSON text, a missing value as an empty object. */
    private static String arguments(JsonNode value)
    {
        if (value == null || value.isNull()) {
            return "{}";
        }
        return value.isTextual() ? value.textValue() : value.toString();
    }

    private static String firstText(JsonNode node, String field, String fallback)
    {
        String text = JsonFields.nonEmptyText(node, field);
        return text != null ? text : JsonFields.nonEmptyText(node, fallback);
    }
}
