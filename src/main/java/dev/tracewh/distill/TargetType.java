package dev.tracewh.distill;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a score is about: a whole trace, one message of it, or one tool call of it ({@code scores.target_type}). */
enum TargetType
{
    TRACE, MESSAGE, TOOL_CALL;

    String wireName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<TargetType> fromWireName(String name)
    {
        return Arrays.stream(values()).filter(type -> type.wireName().equals(name)).findFirst();
    }
}
