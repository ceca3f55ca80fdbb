package dev.tracewh.warehouse;

/**
 * PostgreSQL text cannot hold U+0000 and UTF-8 cannot encode a lone surrogate. Both are replaced by U+FFFD
 * (on every database, so H2 and PostgreSQL hold the same rows) and counted. One instance per trace write.
 */
final class TextSanitizer
{
    static final char REPLACEMENT = '\uFFFD';

    private long replaced;

    String clean(String text)
    {
        return clean(text, true);
    }

    /** Cleans a value derived from one already counted (a message's plain text, a tool's result text). */
    String cleanDerived(String text)
    {
        return clean(text, false);
    }

    private String clean(String text, boolean count)
    {
        if (text == null) {
            return null;
        }
        int firstBad = firstBadIndex(text);
        if (firstBad < 0) {
            return text;
        }
        StringBuilder result = new StringBuilder(text.length());
        result.append(text, 0, firstBad);
        for (int i = firstBad; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                result.append(REPLACEMENT);
                replaced += count ? 1 : 0;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                result.append(c).append(text.charAt(++i));
            }
            else if (Character.isSurrogate(c)) {
                result.append(REPLACEMENT);
                replaced += count ? 1 : 0;
            }
            else {
                result.append(c);
            }
        }
        return result.toString();
    }

    long replaced()
    {
        return replaced;
    }

    private static int firstBadIndex(String text)
    {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                }
                else {
                    return i;
                }
            }
        }
        return -1;
    }
}
