package dev.tracewh.secrets;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Finds secrets in text with a {@link SecretRules} set, with gitleaks' semantics: a rule runs only on text that
 * contains one of its keywords (found for all rules in one case-insensitive Aho-Corasick pass), its regex gives the
 * match, the secret group (or the first non-empty group, or the whole match) gives the secret, a secret at or below
 * the rule's entropy is dropped, and so is one that a global or rule allowlist allows.
 *
 * <p>Thread-safe: build once (compiling the rules takes a moment) and share between threads; all matching state is
 * per call.
 */
public final class SecretScanner
{
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Comparator<Candidate> TEXT_ORDER = Comparator.comparingInt(Candidate::start)
            .thenComparing(Comparator.comparingInt(Candidate::end).reversed())
            // on the same span, a specific rule names the secret better than a generic one
            .thenComparing(candidate -> candidate.rule().id().startsWith("generic"))
            .thenComparingInt(Candidate::ruleIndex);

    private static final String PLACEHOLDER_START = "[REDACTED:";

    private final SecretRules rules;
    private final List<SecretRule> active;
    private final KeywordAutomaton keywords;
    // keyword -> indexes into active of the rules that have it
    private final int[][] rulesByKeyword;
    // active index -> its keywords' indexes in the automaton
    private final int[][] keywordsByRule;
    // active rules without keywords: they run on every text
    private final int[] keywordless;
    private final boolean nearKeywordsOnly;

    public SecretScanner(SecretRules rules)
    {
        this(rules, true);
    }

    /**
     * @param nearKeywordsOnly false to run each rule over the whole text as gitleaks does, which must find the same;
     * for tests of that
     */
    SecretScanner(SecretRules rules, boolean nearKeywordsOnly)
    {
        this.rules = requireNonNull(rules, "rules is null");
        this.nearKeywordsOnly = nearKeywordsOnly;
        this.active = rules.rules().stream().filter(SecretRule::scansText).toList();
        Map<String, Integer> keywordIndex = new HashMap<>();
        List<String> keywordList = new ArrayList<>();
        List<List<Integer>> byKeyword = new ArrayList<>();
        this.keywordsByRule = new int[active.size()][];
        List<Integer> withoutKeywords = new ArrayList<>();
        for (int r = 0; r < active.size(); r++) {
            List<String> ruleKeywords = active.get(r).keywords();
            keywordsByRule[r] = new int[ruleKeywords.size()];
            for (int k = 0; k < ruleKeywords.size(); k++) {
                int index = keywordIndex.computeIfAbsent(ruleKeywords.get(k), keyword -> {
                    keywordList.add(keyword);
                    byKeyword.add(new ArrayList<>());
                    return keywordList.size() - 1;
                });
                keywordsByRule[r][k] = index;
                byKeyword.get(index).add(r);
            }
            if (ruleKeywords.isEmpty()) {
                withoutKeywords.add(r);
            }
        }
        this.keywords = new KeywordAutomaton(keywordList);
        this.rulesByKeyword = byKeyword.stream().map(list -> list.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        this.keywordless = withoutKeywords.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A scanner of {@code rules}; the shipped rules' one is built once per JVM (building them takes over half a second). */
    public static SecretScanner of(SecretRules rules)
    {
        return rules == SecretRules.defaults() ? Shipped.SCANNER : new SecretScanner(rules);
    }

    private static final class Shipped
    {
        static final SecretScanner SCANNER = new SecretScanner(SecretRules.defaults());
    }

    public SecretRules rules()
    {
        return rules;
    }

    /** Findings in text order, not overlapping (of two that overlap, the one that starts first, or the longer, is kept). */
    public List<SecretFinding> scan(String text)
    {
        requireNonNull(text, "text is null");
        List<Candidate> candidates = find(text);
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<SecretFinding> findings = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            findings.add(candidate.finding(candidate.start(), candidate.end()));
        }
        return List.copyOf(findings);
    }

    /** The text with each secret replaced by {@code [REDACTED:<rule id>]}; the same instance when nothing was found. */
    public Redaction redact(String text)
    {
        requireNonNull(text, "text is null");
        List<Candidate> candidates = find(text);
        if (candidates.isEmpty()) {
            return new Redaction(text, List.of());
        }
        return replace(text, candidates, false);
    }

    /**
     * Like {@link #scan}, for JSON text (e.g. a tool call's arguments): each string value is scanned as decoded, so
     * JSON's escapes do not hide a secret from the rules, and each finding is given as the span of the secret's
     * escaped form in {@code jsonText}. Text that is not valid JSON is scanned as it is.
     */
    public List<SecretFinding> scanJson(String jsonText)
    {
        requireNonNull(jsonText, "jsonText is null");
        List<Candidate> candidates = findInJson(jsonText);
        if (candidates == null) {
            return scan(jsonText);
        }
        List<SecretFinding> findings = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            findings.add(candidate.finding(candidate.start(), candidate.end()));
        }
        return List.copyOf(findings);
    }

    /**
     * Like {@link #redact}, for JSON text: each secret inside a string value is replaced in {@code jsonText} itself, so
     * the rest of the JSON stays as it was, byte for byte. Text that is not valid JSON is redacted as it is.
     */
    public Redaction redactJson(String jsonText)
    {
        requireNonNull(jsonText, "jsonText is null");
        List<Candidate> candidates = findInJson(jsonText);
        if (candidates == null) {
            return redact(jsonText);
        }
        if (candidates.isEmpty()) {
            return new Redaction(jsonText, List.of());
        }
        return replace(jsonText, candidates, true);
    }

    private static Redaction replace(String text, List<Candidate> candidates, boolean json)
    {
        StringBuilder redacted = new StringBuilder(text.length());
        List<SecretFinding> findings = new ArrayList<>(candidates.size());
        int copied = 0;
        for (Candidate candidate : candidates) {
            redacted.append(text, copied, candidate.start());
            String placeholder = PLACEHOLDER_START + candidate.rule().id() + "]";
            if (json) {
                placeholder = new String(JsonStringEncoder.getInstance().quoteAsString(placeholder));
            }
            int start = redacted.length();
            redacted.append(placeholder);
            findings.add(candidate.finding(start, redacted.length()));
            copied = candidate.end();
        }
        redacted.append(text, copied, text.length());
        return new Redaction(redacted.toString(), findings);
    }

    /**
     * Findings in the decoded string values of {@code jsonText}, with spans in {@code jsonText}; null if it is not JSON.
     * A member's value is scanned after its name ({@code "password": "value"}): the generic rules find a secret by the
     * name it is assigned to, as they do in the raw text. Findings inside the name are left out.
     */
    private List<Candidate> findInJson(String jsonText)
    {
        List<Candidate> found = new ArrayList<>(0);
        try (JsonParser parser = JSON.createParser(jsonText)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.VALUE_STRING) {
                    continue;
                }
                int open = (int) parser.currentTokenLocation().getCharOffset();
                String value = parser.getText();
                String name = parser.getParsingContext().inObject() ? parser.currentName() : null;
                String prefix = name == null ? "" : "\"" + name + "\": \"";
                List<Candidate> inValue = find(prefix + value);
                if (inValue.isEmpty()) {
                    continue;
                }
                int[] rawOffsets = rawOffsets(jsonText, open, value.length());
                for (Candidate candidate : inValue) {
                    int start = candidate.start() - prefix.length();
                    int end = candidate.end() - prefix.length();
                    if (start >= 0 && end <= value.length()) {
                        found.add(candidate.at(rawOffsets[start], rawOffsets[end]));
                    }
                }
            }
        }
        catch (JacksonException e) {
            return null;
        }
        catch (IOException e) {
            // a String has no I/O
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /**
     * For each char of a decoded JSON string value (and one past its end), the offset in {@code json} where its
     * escaped form starts. {@code open} is the offset of the value's opening quote.
     */
    private static int[] rawOffsets(String json, int open, int decodedLength)
    {
        if (json.charAt(open) != '"') {
            throw new IllegalStateException("JSON string value does not start at offset " + open);
        }
        int[] offsets = new int[decodedLength + 1];
        int raw = open + 1;
        for (int i = 0; i < decodedLength; i++) {
            offsets[i] = raw;
            raw += json.charAt(raw) != '\\' ? 1 : json.charAt(raw + 1) == 'u' ? 6 : 2;
        }
        offsets[decodedLength] = raw;
        return offsets;
    }

    /** The findings of all rules in {@code text}, in text order, without overlaps. */
    private List<Candidate> find(String text)
    {
        if (text.isEmpty()) {
            return List.of();
        }
        Hits hits = new Hits();
        keywords.scan(text, hits);
        if (hits.count == 0 && keywordless.length == 0) {
            return List.of();
        }
        List<Candidate> candidates = new ArrayList<>(0);
        for (int r : keywordless) {
            findRule(text, r, null, 0, candidates);
        }
        if (hits.count > 0) {
            int[][] startsByKeyword = hits.startsByKeyword(keywords.keywords().size());
            boolean[] triggered = new boolean[active.size()];
            for (int k = 0; k < startsByKeyword.length; k++) {
                if (startsByKeyword[k] != null) {
                    for (int r : rulesByKeyword[k]) {
                        triggered[r] = true;
                    }
                }
            }
            for (int r = 0; r < triggered.length; r++) {
                if (triggered[r]) {
                    int[] starts = nearKeywordsOnly ? ruleStarts(keywordsByRule[r], startsByKeyword) : null;
                    findRule(text, r, starts, starts == null ? 0 : starts.length, candidates);
                }
            }
        }
        if (candidates.size() <= 1) {
            return candidates;
        }
        candidates.sort(TEXT_ORDER);
        List<Candidate> kept = new ArrayList<>(candidates.size());
        int end = 0;
        for (Candidate candidate : candidates) {
            if (candidate.start() >= end) {
                kept.add(candidate);
                end = candidate.end();
            }
        }
        return kept;
    }

    private static int[] ruleStarts(int[] ruleKeywords, int[][] startsByKeyword)
    {
        int[] only = null;
        int total = 0;
        int lists = 0;
        for (int k : ruleKeywords) {
            if (startsByKeyword[k] != null) {
                only = startsByKeyword[k];
                total += only.length;
                lists++;
            }
        }
        if (lists == 1) {
            return only;
        }
        int[] starts = new int[total];
        int filled = 0;
        for (int k : ruleKeywords) {
            if (startsByKeyword[k] != null) {
                System.arraycopy(startsByKeyword[k], 0, starts, filled, startsByKeyword[k].length);
                filled += startsByKeyword[k].length;
            }
        }
        Arrays.sort(starts);
        return starts;
    }

    private void findRule(String text, int ruleIndex, int[] keywordStarts, int keywordCount, List<Candidate> candidates)
    {
        SecretRule rule = active.get(ruleIndex);
        RulePattern pattern = rule.pattern().orElseThrow();
        for (int[] match : pattern.findAll(text, keywordStarts, keywordCount)) {
            // gitleaks trims line breaks off the match
            int matchStart = match[0];
            int matchEnd = match[1];
            while (matchStart < matchEnd && text.charAt(matchStart) == '\n') {
                matchStart++;
            }
            while (matchEnd > matchStart && text.charAt(matchEnd - 1) == '\n') {
                matchEnd--;
            }
            int secretStart = matchStart;
            int secretEnd = matchEnd;
            int groups = (match.length - 2) / 2;
            if (groups > 0) {
                if (rule.secretGroup() > 0) {
                    secretStart = match[2 * rule.secretGroup()];
                    secretEnd = match[2 * rule.secretGroup() + 1];
                }
                else {
                    for (int g = 1; g <= groups; g++) {
                        if (match[2 * g] >= 0 && match[2 * g + 1] > match[2 * g]) {
                            secretStart = match[2 * g];
                            secretEnd = match[2 * g + 1];
                            break;
                        }
                    }
                }
            }
            if (secretStart < 0 || secretEnd <= secretStart) {
                continue;
            }
            String secret = text.substring(secretStart, secretEnd);
            if (secret.contains(PLACEHOLDER_START)) {
                // text redacted before (an export of a redacted warehouse): a placeholder is no secret, and a rule that
                // takes it as one (a URL's password) would replace the rule id it names
                continue;
            }
            if (rule.entropy() != 0 && ShannonEntropy.of(secret) <= rule.entropy()) {
                continue;
            }
            MatchText findingText = new MatchText(text, secret, matchStart, matchEnd);
            if (allowed(rules.allowlists(), findingText) || allowed(rule.allowlists(), findingText)) {
                continue;
            }
            candidates.add(new Candidate(rule, ruleIndex, secretStart, secretEnd, secret));
        }
    }

    private static boolean allowed(List<Allowlist> allowlists, MatchText finding)
    {
        for (Allowlist allowlist : allowlists) {
            if (allowlist.allows(finding)) {
                return true;
            }
        }
        return false;
    }

    /** A finding before the overlap check; {@code start}/{@code end} is the secret's span in the stored text. */
    private record Candidate(SecretRule rule, int ruleIndex, int start, int end, String secret)
    {
        Candidate at(int rawStart, int rawEnd)
        {
            return new Candidate(rule, ruleIndex, rawStart, rawEnd, secret);
        }

        SecretFinding finding(int start, int end)
        {
            return new SecretFinding(rule.id(), rule.description(), start, end, sha256(secret));
        }
    }

    private static String sha256(String secret)
    {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A match's secret, match and line, for the allowlists; the line is cut out only when one asks. */
    private static final class MatchText
            implements Allowlist.FindingText
    {
        private final String text;
        private final String secret;
        private final int matchStart;
        private final int matchEnd;

        MatchText(String text, String secret, int matchStart, int matchEnd)
        {
            this.text = text;
            this.secret = secret;
            this.matchStart = matchStart;
            this.matchEnd = matchEnd;
        }

        @Override
        public String secret()
        {
            return secret;
        }

        @Override
        public String match()
        {
            return text.substring(matchStart, matchEnd);
        }

        @Override
        public String line()
        {
            // from the start of the line the match starts in to the end of the line it ends in
            int start = text.lastIndexOf('\n', matchStart - 1) + 1;
            int end = text.indexOf('\n', matchEnd);
            return text.substring(start, end < 0 ? text.length() : end);
        }
    }

    /** Keyword hits of one scan, in the order the automaton reports them. */
    private static final class Hits
            implements KeywordAutomaton.HitSink
    {
        private int[] keywords = new int[16];
        private int[] starts = new int[16];
        private int count;

        @Override
        public void hit(int keyword, int start)
        {
            if (count == keywords.length) {
                keywords = Arrays.copyOf(keywords, count * 2);
                starts = Arrays.copyOf(starts, count * 2);
            }
            keywords[count] = keyword;
            starts[count] = start;
            count++;
        }

        /** Start offsets per keyword, increasing (hits of one keyword arrive in order); null for a keyword not hit. */
        int[][] startsByKeyword(int keywordCount)
        {
            int[] counts = new int[keywordCount];
            for (int i = 0; i < count; i++) {
                counts[keywords[i]]++;
            }
            int[][] byKeyword = new int[keywordCount][];
            for (int k = 0; k < keywordCount; k++) {
                if (counts[k] > 0) {
                    byKeyword[k] = new int[counts[k]];
                    counts[k] = 0;
                }
            }
            for (int i = 0; i < count; i++) {
                byKeyword[keywords[i]][counts[keywords[i]]++] = starts[i];
            }
            return byKeyword;
        }
    }
}
