package dev.tracewh.secrets;

import static java.util.Objects.requireNonNull;

/**
 * One secret found in a text.
 *
 * @param start first char of the secret in the text as stored: for {@link SecretScanner#scan} the input, for
 * {@link Redaction#findings()} the placeholder in the redacted text
 * @param end char after the secret (or placeholder)
 * @param fingerprint lower-case hex SHA-256 of the secret's UTF-8 bytes (the secret group, not the whole match)
 */
public record SecretFinding(String ruleId, String description, int start, int end, String fingerprint)
{
    public SecretFinding
    {
        requireNonNull(ruleId, "ruleId is null");
        requireNonNull(description, "description is null");
        requireNonNull(fingerprint, "fingerprint is null");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("invalid span [%d, %d)".formatted(start, end));
        }
    }
}
