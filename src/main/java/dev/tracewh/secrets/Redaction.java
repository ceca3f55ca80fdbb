package dev.tracewh.secrets;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A text with each secret replaced by {@code [REDACTED:<rule id>]}, and the findings, whose offsets are those of
 * the placeholders in {@link #text}. When nothing was found, {@code text} is the very instance that was scanned.
 */
public record Redaction(String text, List<SecretFinding> findings)
{
    public Redaction
    {
        requireNonNull(text, "text is null");
        findings = List.copyOf(findings);
    }

    public boolean changed()
    {
        return !findings.isEmpty();
    }
}
