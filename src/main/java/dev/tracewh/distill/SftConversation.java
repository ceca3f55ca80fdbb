package dev.tracewh.distill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Turns one trace's kept messages into a chat fine-tuning conversation. Content is plain text (the message's
 * text blocks). An assistant message keeps only the tool calls answered by a tool message that follows it
 * before the next user, system or assistant message; a tool message that answers no such call is dropped.
 * So every tool message answers a call of the assistant message before it, and every call is answered.
 */
final class SftConversation
{
    record SourceMessage(int ordinal, String role, String text, String reasoning, String toolCallId)
    {
        SourceMessage
        {
            requireNonNull(role, "role is null");
        }
    }

    record SourceToolCall(String id, int messageOrdinal, String name, String arguments)
    {
        SourceToolCall
        {
            requireNonNull(id, "id is null");
            requireNonNull(name, "name is null");
            requireNonNull(arguments, "arguments is null");
        }
    }

    record ChatMessage(String role, String content, Optional<String> reasoning, List<SourceToolCall> toolCalls, Optional<String> toolCallId)
    {
        ChatMessage
        {
            requireNonNull(role, "role is null");
            requireNonNull(content, "content is null");
            requireNonNull(reasoning, "reasoning is null");
            toolCalls = List.copyOf(toolCalls);
            requireNonNull(toolCallId, "toolCallId is null");
        }
    }

    private SftConversation() {}

    static List<ChatMessage> of(List<SourceMessage> messages, List<SourceToolCall> toolCalls, boolean includeReasoning)
    {
        Map<Integer, List<SourceToolCall>> callsByMessage = new LinkedHashMap<>();
        for (SourceToolCall call : toolCalls) {
            callsByMessage.computeIfAbsent(call.messageOrdinal(), ordinal -> new ArrayList<>()).add(call);
        }
        List<ChatMessage> chat = new ArrayList<>();
        Turn turn = null;
        for (SourceMessage message : messages) {
            if (message.role().equals("tool")) {
                if (turn != null) {
                    turn.answer(message);
                }
                continue;
            }
            if (turn != null) {
                turn.appendTo(chat, includeReasoning);
                turn = null;
            }
            if (message.role().equals("assistant")) {
                turn = new Turn(message, callsByMessage.getOrDefault(message.ordinal(), List.of()));
            }
            else {
                chat.add(new ChatMessage(message.role(), text(message), Optional.empty(), List.of(), Optional.empty()));
            }
        }
        if (turn != null) {
            turn.appendTo(chat, includeReasoning);
        }
        return chat;
    }

    /** An assistant message and the tool messages after it. */
    private static final class Turn
    {
        private final SourceMessage assistant;
        private final List<SourceToolCall> calls;
        private final Map<String, SourceMessage> results = new LinkedHashMap<>();

        Turn(SourceMessage assistant, List<SourceToolCall> calls)
        {
            this.assistant = assistant;
            this.calls = calls;
        }

        void answer(SourceMessage tool)
        {
            String id = tool.toolCallId();
            if (id != null && !results.containsKey(id) && calls.stream().anyMatch(call -> call.id().equals(id))) {
                results.put(id, tool);
            }
        }

        void appendTo(List<ChatMessage> chat, boolean includeReasoning)
        {
            List<SourceToolCall> answered = calls.stream().filter(call -> results.containsKey(call.id())).toList();
            Optional<String> reasoning = includeReasoning ? Optional.ofNullable(assistant.reasoning()).filter(text -> !text.isBlank()) : Optional.empty();
            String content = text(assistant);
            if (content.isEmpty() && answered.isEmpty() && reasoning.isEmpty()) {
                return;
            }
            chat.add(new ChatMessage("assistant", content, reasoning, answered, Optional.empty()));
            for (SourceMessage result : results.values()) {
                chat.add(new ChatMessage("tool", text(result), Optional.empty(), List.of(), Optional.of(result.toolCallId())));
            }
        }
    }

    private static String text(SourceMessage message)
    {
        return message.text() == null ? "" : message.text();
    }
}
