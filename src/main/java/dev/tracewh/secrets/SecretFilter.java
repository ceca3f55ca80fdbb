package dev.tracewh.secrets;

import static java.util.Objects.requireNonNull;

/**
 * Text on its way out of the warehouse (an export): redacted, whatever mode it was loaded in, unless the user keeps
 * the secrets; counts what it redacted. One per export: not thread-safe.
 */
public final class SecretFilter
{
    private final SecretScanner scanner;
    private long redacted;

    private SecretFilter(SecretScanner scanner)
    {
        this.scanner = scanner;
    }

    public static SecretFilter redacting(SecretScanner scanner)
    {
        return new SecretFilter(requireNonNull(scanner, "scanner is null"));
    }

    /** Passes text through as stored. */
    public static SecretFilter keepingSecrets()
    {
        return new SecretFilter(null);
    }

    public String text(String text)
    {
        if (scanner == null || text == null || text.isEmpty()) {
            return text;
        }
        return count(scanner.redact(text));
    }

    /** JSON text (tool arguments, content blocks, source facts): its strings are looked at decoded, and it stays JSON. */
    public String json(String json)
    {
        if (scanner == null || json == null || json.isEmpty()) {
            return json;
        }
        return count(scanner.redactJson(json));
    }

    /** Whether text is redacted ({@link #keepingSecrets} does not). */
    public boolean redacts()
    {
        return scanner != null;
    }

    /** How many secrets were redacted so far. */
    public long redacted()
    {
        return redacted;
    }

    private String count(Redaction redaction)
    {
        redacted += redaction.findings().size();
        return redaction.text();
    }
}
