package dev.tracewh.model;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A tool call made by the assistant message at {@code messageOrdinal} ({@code callIndex}-th call in it),
 * with its result when the trace has one. {@code arguments} is JSON text, as in the chat format.
 */
public record ToolCall(
        String toolCallId,
        int messageOrdinal,
        int callIndex,
        String name,
        String arguments,
        Instant calledAt,
        Integer resultOrdinal,
        String resultText,
        Boolean isError,
        Long exitCode,
        Double durationSeconds)
{
    public ToolCall
    {
        requireNonNull(toolCallId, "toolCallId is null");
        requireNonNull(name, "name is null");
        requireNonNull(arguments, "arguments is null");
    }

    /** This call with other arguments and result text (redacted text, say). */
    public ToolCall withText(String arguments, String resultText)
    {
        return new ToolCall(toolCallId, messageOrdinal, callIndex, name, arguments, calledAt, resultOrdinal, resultText, isError, exitCode, durationSeconds);
    }

    public ToolCall withResult(int resultOrdinal, String resultText, Boolean isError, Long exitCode, Double durationSeconds)
    {
        return new ToolCall(toolCallId, messageOrdinal, callIndex, name, arguments, calledAt,
                resultOrdinal, resultText, isError, exitCode, durationSeconds);
    }
}
