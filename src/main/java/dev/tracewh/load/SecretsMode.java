package dev.tracewh.load;

import java.util.Locale;

/**
 * What a load does with the secrets in session text. {@code REDACT} (the default) stores {@code [REDACTED:<rule id>]}
 * in place of each secret and records where; {@code DETECT} stores the text as it is and records the findings;
 * {@code OFF} does not look.
 */
public enum SecretsMode
{
    REDACT, DETECT, OFF;

    public String wireName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
