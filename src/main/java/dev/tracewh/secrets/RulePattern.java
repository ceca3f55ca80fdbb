package dev.tracewh.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static java.util.Objects.requireNonNull;

/**
 * A gitleaks regex compiled for this JVM, and how the scanner runs it: all matches as Go's
 * {@code FindAllStringSubmatchIndex} finds them (leftmost first, not overlapping).
 *
 * <p>Engines: a rule runs with java.util.regex, translated from Go's syntax by {@link GoRegex} (see there for what
 * changes). Only when the translator or java.util.regex rejects the result does the rule run with RE2/J, which reads
 * Go's syntax itself but is several times slower. All 222 default gitleaks rules run with java.util.regex.
 *
 * <p>Near keywords only: gitleaks runs a rule's regex over the whole text when one of its keywords occurs anywhere
 * in it. When {@link GoRegex#keywordLead} shows that every match contains a keyword at most {@code lead} chars after
 * the match's start, a match can only start in the {@code lead} chars before a keyword hit, so the regex is tried
 * there only ({@link Matcher#lookingAt} on a region with transparent bounds, which sees the same text around it).
 * Tried in increasing order, the first success is the leftmost match, as with a search over the whole text. Rules
 * that start with a lazy run such as gitleaks' {@code [\w.-]{0,50}?(?:key|token|...)} are tried one step further:
 * the rest of the regex is tried at the keyword, and the run is extended backwards over its characters (at most
 * its length, never into the previous match), which is the start the lazy run would have chosen.
 */
final class RulePattern
{
    enum Engine
    {
        /** java.util.regex; the regex means the same in both syntaxes */
        JAVA,
        /** java.util.regex; the regex uses a construct that Java spells differently or reads with another meaning */
        JAVA_TRANSLATED,
        /** RE2/J: the translation failed */
        RE2J,
    }

    private final String source;
    private final Engine engine;
    private final int groupCount;
    private final Pattern java;
    private final com.google.re2j.Pattern re2j;
    // -1: search the whole text
    private final int lead;
    // lazy-prefix form, or null
    private final Pattern rest;
    private final int restLead;
    private final Pattern prefixChar;
    private final int prefixMax;
    // a char the regex tried near keywords (rest, or the whole) needs, checked before trying it; or null
    private final GoRegex.RequiredChar required;

    private RulePattern(String source, Engine engine, int groupCount, Pattern java, com.google.re2j.Pattern re2j, int lead,
            Pattern rest, int restLead, Pattern prefixChar, int prefixMax, GoRegex.RequiredChar required)
    {
        this.source = source;
        this.engine = engine;
        this.groupCount = groupCount;
        this.java = java;
        this.re2j = re2j;
        this.lead = lead;
        this.rest = rest;
        this.restLead = restLead;
        this.prefixChar = prefixChar;
        this.prefixMax = prefixMax;
        this.required = required;
    }

    /**
     * Compiles a Go regex; {@code keywords} (lower case) are the rule's, or empty.
     *
     * @throws IllegalArgumentException when neither engine accepts it
     */
    static RulePattern compile(String goRegex, List<String> keywords)
    {
        requireNonNull(goRegex, "goRegex is null");
        GoRegex parsed;
        Pattern java;
        try {
            parsed = GoRegex.parse(goRegex);
            java = compileJava(parsed.toJava());
        }
        catch (IllegalArgumentException e) {
            com.google.re2j.Pattern re2j;
            try {
                re2j = com.google.re2j.Pattern.compile(goRegex);
            }
            catch (com.google.re2j.PatternSyntaxException re2jError) {
                throw new IllegalArgumentException("invalid regex: " + re2jError.getMessage(), re2jError);
            }
            return new RulePattern(goRegex, Engine.RE2J, re2j.groupCount(), null, re2j, -1, null, -1, null, 0, null);
        }
        Engine engine = parsed.rewritten() ? Engine.JAVA_TRANSLATED : Engine.JAVA;
        int lead = keywords.isEmpty() ? -1 : parsed.keywordLead(keywords);
        GoRegex.LazyPrefix prefix = lead < 0 ? null : parsed.lazyPrefix();
        if (prefix != null) {
            int restLead = GoRegex.keywordLead(prefix.rest(), keywords);
            if (restLead >= 0) {
                return new RulePattern(goRegex, engine, parsed.groupCount(), java, null, lead, compileJava(prefix.restJava()), restLead,
                        compileJava(prefix.charClassJava()), prefix.maxLength(), GoRegex.requiredChar(prefix.rest()));
            }
        }
        return new RulePattern(goRegex, engine, parsed.groupCount(), java, null, lead, null, -1, null, 0,
                lead < 0 ? null : GoRegex.requiredChar(parsed.root()));
    }

    private static Pattern compileJava(String regex)
    {
        try {
            return Pattern.compile(regex, Pattern.UNIX_LINES);
        }
        catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    String source()
    {
        return source;
    }

    Engine engine()
    {
        return engine;
    }

    int groupCount()
    {
        return groupCount;
    }

    /** Whether the scanner tries this regex near keyword hits only. */
    boolean windowed()
    {
        return lead >= 0;
    }

    /** Whether a Go regex search anywhere in {@code text} succeeds (allowlist regexes). */
    boolean find(String text)
    {
        return java != null ? java.matcher(text).find() : re2j.matcher(text).find();
    }

    /**
     * All matches, each as {start, end, group 1 start, group 1 end, ...} with -1 for a group that did not take part.
     *
     * @param keywordStarts offsets of this rule's keyword hits in increasing order, or null to search everywhere
     */
    List<int[]> findAll(String text, int[] keywordStarts, int keywordCount)
    {
        if (re2j != null) {
            return findAllRe2j(text);
        }
        if (lead < 0 || keywordStarts == null) {
            List<int[]> matches = new ArrayList<>();
            Matcher matcher = java.matcher(text);
            while (matcher.find()) {
                matches.add(spans(matcher));
            }
            return matches;
        }
        return rest != null ? findAllNearKeywordsLazyPrefix(text, keywordStarts, keywordCount) : findAllNearKeywords(text, keywordStarts, keywordCount);
    }

    private List<int[]> findAllNearKeywords(String text, int[] keywordStarts, int keywordCount)
    {
        List<int[]> matches = new ArrayList<>(0);
        Matcher matcher = java.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        int length = text.length();
        // matches so far end at next; positions up to tried are done
        int next = 0;
        int tried = -1;
        for (int k = 0; k < keywordCount; k++) {
            int hit = keywordStarts[k];
            int start = Math.max(Math.max(hit - lead, next), tried + 1);
            while (start <= hit) {
                tried = start;
                if (!hasRequiredChar(text, start)) {
                    start++;
                    continue;
                }
                matcher.region(start, length);
                if (matcher.lookingAt()) {
                    matches.add(spans(matcher));
                    next = matcher.end() > start ? matcher.end() : start + 1;
                    start = next;
                }
                else {
                    start++;
                }
            }
        }
        return matches;
    }

    private List<int[]> findAllNearKeywordsLazyPrefix(String text, int[] keywordStarts, int keywordCount)
    {
        List<int[]> matches = new ArrayList<>(0);
        Matcher matcher = rest.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
        Matcher prefix = null;
        int length = text.length();
        int next = 0;
        int tried = -1;
        for (int k = 0; k < keywordCount; k++) {
            int hit = keywordStarts[k];
            int restStart = Math.max(Math.max(hit - restLead, next), tried + 1);
            while (restStart <= hit) {
                tried = restStart;
                if (!hasRequiredChar(text, restStart)) {
                    restStart++;
                    continue;
                }
                matcher.region(restStart, length);
                if (!matcher.lookingAt()) {
                    restStart++;
                    continue;
                }
                if (prefix == null) {
                    prefix = prefixChar.matcher(text);
                }
                int start = restStart;
                while (start > next && restStart - start < prefixMax && prefix.region(start - 1, start).matches()) {
                    start--;
                }
                int[] spans = spans(matcher);
                spans[0] = start;
                matches.add(spans);
                next = matcher.end() > start ? matcher.end() : start + 1;
                restStart = Math.max(next, restStart + 1);
            }
        }
        return matches;
    }

    /** Whether a match starting at {@code start} can have the char the regex needs (a cheap test before the regex). */
    private boolean hasRequiredChar(String text, int start)
    {
        if (required == null) {
            return true;
        }
        int end = Math.min(text.length(), start + required.maxOffset() + 1);
        boolean[] chars = required.chars();
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < 128 && chars[c]) {
                return true;
            }
        }
        return false;
    }

    private static int[] spans(Matcher matcher)
    {
        int groups = matcher.groupCount();
        int[] spans = new int[2 + 2 * groups];
        spans[0] = matcher.start();
        spans[1] = matcher.end();
        for (int g = 1; g <= groups; g++) {
            spans[2 * g] = matcher.start(g);
            spans[2 * g + 1] = matcher.end(g);
        }
        return spans;
    }

    private List<int[]> findAllRe2j(String text)
    {
        List<int[]> matches = new ArrayList<>(0);
        com.google.re2j.Matcher matcher = re2j.matcher(text);
        int from = 0;
        while (from <= text.length() && matcher.find(from)) {
            int groups = matcher.groupCount();
            int[] spans = new int[2 + 2 * groups];
            spans[0] = matcher.start();
            spans[1] = matcher.end();
            for (int g = 1; g <= groups; g++) {
                spans[2 * g] = matcher.start(g);
                spans[2 * g + 1] = matcher.end(g);
            }
            matches.add(spans);
            from = matcher.end() > matcher.start() ? matcher.end() : matcher.end() + 1;
        }
        return matches;
    }
}
