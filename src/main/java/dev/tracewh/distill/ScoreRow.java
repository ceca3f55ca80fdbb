package dev.tracewh.distill;

import java.util.Optional;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * One score to store, as read from a score file or a SQL judge. {@code position} is where it came from (the
 * file's line number, or the judge's row number) for error messages. {@code targetKey} is "" for a trace,
 * the message ordinal for a message and the tool call id for a tool call.
 */
record ScoreRow(
        long position,
        String traceId,
        TargetType targetType,
        String targetKey,
        String name,
        OptionalDouble value,
        Optional<String> label,
        Optional<String> explanation)
{
    ScoreRow
    {
        requireNonNull(traceId, "traceId is null");
        requireNonNull(targetType, "targetType is null");
        requireNonNull(targetKey, "targetKey is null");
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        requireNonNull(label, "label is null");
        requireNonNull(explanation, "explanation is null");
        if (value.isEmpty() && label.isEmpty()) {
            throw new IllegalArgumentException("score " + name + " has neither a value nor a label");
        }
    }
}
