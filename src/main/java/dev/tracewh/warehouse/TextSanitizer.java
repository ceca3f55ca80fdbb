package dev.tracewh.warehouse;

/**
 * PostgreSQL text cannot hold U+0000. Formats already replace it while parsing (and count it); this guard
 * keeps any that slips through (or comes from an imported file) from failing a whole write on PostgreSQL, and
 * keeps H2 holding the same rows.
 */
public final class TextSanitizer
{
    private static final char REPLACEMENT = '\uFFFD';

    private TextSanitizer() {}

    public static String clean(String text)
    {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', REPLACEMENT);
    }
}
