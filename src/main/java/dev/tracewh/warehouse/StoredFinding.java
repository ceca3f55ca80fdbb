package dev.tracewh.warehouse;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A secret found in a trace's text, as {@code secret_findings} keeps it: the column ({@code field}) of the message
 * ({@code messageOrdinal}), tool call ({@code toolCallId}) or session holding it, its span in the stored text (the
 * placeholder's span when {@code redacted}), the rule and a SHA-256 {@code fingerprint} of the secret. Never the
 * secret itself.
 */
public record StoredFinding(Field field, Integer messageOrdinal, String toolCallId, int start, int end, String ruleId, String ruleDescription,
                            Long lineNumber, String fingerprint, boolean redacted)
{
    /** The text columns secrets are looked for in, by their column names. */
    public enum Field
    {
        TEXT_CONTENT, REASONING_CONTENT, ARGUMENTS, RESULT_TEXT, TITLE, SUMMARY, SOURCE_META;

        public String columnName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StoredFinding
    {
        requireNonNull(field, "field is null");
        requireNonNull(ruleId, "ruleId is null");
        requireNonNull(ruleDescription, "ruleDescription is null");
        requireNonNull(fingerprint, "fingerprint is null");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("not a span: " + start + ".." + end);
        }
    }

    /** Identifies the finding within its trace: its column, its message or tool call, and where it starts. */
    String key()
    {
        String holder = messageOrdinal != null ? messageOrdinal.toString() : toolCallId != null ? toolCallId : "";
        return field.columnName() + "/" + holder + "/" + start;
    }
}
