package dev.tracewh.distill;

import java.util.Optional;
import java.util.OptionalDouble;

/** Turns the loosely typed fields of a score file line or a SQL judge row into a {@link ScoreRow}. */
final class ScoreRows
{
    private ScoreRows() {}

    /**
     * A score from its fields as read (nulls for absent ones). {@code value} may be a number, a boolean (true is
     * 1) or a string holding either; an absent target type means the trace.
     *
     * @throws IllegalArgumentException naming what is wrong, for the caller to report
     */
    static ScoreRow of(long position, String traceId, String targetType, String targetKey, String name, Object value, String label, String explanation)
    {
        if (isBlank(traceId)) {
            throw new IllegalArgumentException("no trace_id");
        }
        if (isBlank(name)) {
            throw new IllegalArgumentException("no score name");
        }
        TargetType type = isBlank(targetType) ? TargetType.TRACE : TargetType.fromWireName(targetType)
                .orElseThrow(() -> new IllegalArgumentException("target_type '" + targetType + "' is not one of trace, message, tool_call"));
        OptionalDouble number = number(name, value);
        Optional<String> text = isBlank(label) ? Optional.empty() : Optional.of(label);
        if (number.isEmpty() && text.isEmpty()) {
            throw new IllegalArgumentException(name + " has neither a value nor a label");
        }
        return new ScoreRow(position, traceId, type, targetKey == null ? "" : targetKey, name, number, text,
                isBlank(explanation) ? Optional.empty() : Optional.of(explanation));
    }

    private static OptionalDouble number(String name, Object value)
    {
        return switch (value) {
            case null -> OptionalDouble.empty();
            case Boolean flag -> OptionalDouble.of(flag ? 1 : 0);
            case Number number -> finite(name, number.doubleValue(), value);
            case String text when text.isBlank() -> OptionalDouble.empty();
            case String text when text.strip().equalsIgnoreCase("true") -> OptionalDouble.of(1);
            case String text when text.strip().equalsIgnoreCase("false") -> OptionalDouble.of(0);
            case String text -> {
                try {
                    yield finite(name, Double.parseDouble(text.strip()), value);
                }
                catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " value '" + text + "' is not a number");
                }
            }
            default -> throw new IllegalArgumentException(name + " value " + value + " is not a number");
        };
    }

    private static OptionalDouble finite(String name, double number, Object value)
    {
        if (!Double.isFinite(number)) {
            throw new IllegalArgumentException(name + " value '" + value + "' is not a finite number");
        }
        return OptionalDouble.of(number);
    }

    private static boolean isBlank(String text)
    {
        return text == null || text.isBlank();
    }
}
