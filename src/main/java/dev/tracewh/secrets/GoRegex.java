package dev.tracewh.secrets;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A regular expression in Go's RE2 syntax (the syntax of gitleaks rules), parsed into a small tree. The tree is
 * written back out in java.util.regex syntax with Go's meaning ({@link #toJava}), and it tells the scanner where a
 * rule's keyword must sit inside every match ({@link #keywordLead}), so the rule can be tried only near keywords.
 *
 * <p>Translation, Go to Java (compiled with {@link java.util.regex.Pattern#UNIX_LINES}, so {@code .} excludes only
 * {@code \n} as in Go):
 * <ul>
 * <li>{@code (?P<name>...)} and {@code (?<name>...)}: plain capturing groups (Go allows {@code _} in names, Java does
 * not; gitleaks uses group numbers only).
 * <li>{@code \s}: {@code [\t\n\f\r ]}, and {@code \S} its complement (Java's {@code \s} also matches {@code \v}).
 * {@code \v}: {@code \x0B} (Java's {@code \v} is any vertical space).
 * <li>{@code $} without {@code (?m)}: {@code \z} (Java's {@code $} also matches before a final line break);
 * {@code (?m)^} and {@code (?m)$}: explicit look-arounds at {@code \n}.
 * <li>Character classes: POSIX names ({@code [[:alnum:]]}) become {@code \p{Alnum}}, and every punctuation
 * character inside a class is escaped, because Java reads {@code [} inside a class as a nested class and {@code &&}
 * as an intersection.
 * <li>Flags {@code i m s U} are resolved while parsing: case folding is written as {@code (?i)}/{@code (?-i)}
 * switches, {@code (?U)} swaps greediness. Case folding is ASCII only (Go also folds e.g. the Kelvin sign).
 * </ul>
 * Anything else this parser does not know throws {@link IllegalArgumentException}; the caller then runs the rule
 * with RE2/J, which implements Go's syntax itself.
 */
final class GoRegex
{
    // Go's \s: no vertical tab
    private static final String SPACE_CHARS = "\\t\\n\\f\\r\\x20";
    private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
            Map.entry("alnum", "Alnum"), Map.entry("alpha", "Alpha"), Map.entry("ascii", "ASCII"),
            Map.entry("blank", "Blank"), Map.entry("cntrl", "Cntrl"), Map.entry("digit", "Digit"),
            Map.entry("graph", "Graph"), Map.entry("lower", "Lower"), Map.entry("print", "Print"),
            Map.entry("punct", "Punct"), Map.entry("space", "Space"), Map.entry("upper", "Upper"),
            Map.entry("word", "Alnum_"), Map.entry("xdigit", "XDigit"));
    private static final int FINITE_LIMIT = 256;
    private static final int FINITE_MAX_LENGTH = 64;
    private static final int UNBOUNDED = -1;

    sealed interface Node {}

    record Literal(int codePoint, boolean foldCase) implements Node {}

    /**
     * A character class. {@code java} is its Java spelling without case flags; {@code maxChars} is 1 when it can
     * only match a char of the Basic Multilingual Plane; {@code lowerChars} lists the lower-cased characters it
     * matches when that is a short list of single characters, else null.
     */
    record CharClass(String java, boolean foldCase, int maxChars, Set<String> lowerChars) implements Node {}

    /** Zero-width: ^ $ \b \B \A \z, already in Java spelling. */
    record Assertion(String java) implements Node {}

    /** {@code index} is 0 for a non-capturing group. */
    record Group(int index, Node body) implements Node {}

    record Concat(List<Node> items) implements Node {}

    record Alternation(List<Node> branches) implements Node {}

    /** {@code max} is -1 when unbounded. */
    record Repeat(Node body, int min, int max, boolean greedy) implements Node {}

    private final String source;
    private final Node root;
    private final int groupCount;

    // parser state
    private int position;
    private int groups;
    private boolean rewritten;

    private GoRegex(String source)
    {
        this.source = requireNonNull(source, "source is null");
        this.root = parseAlternation(new Flags(false, false, false, false));
        if (position < source.length()) {
            throw error("unmatched ')'");
        }
        this.groupCount = groups;
    }

    /** Parses a Go regular expression; throws IllegalArgumentException for syntax this class does not handle. */
    static GoRegex parse(String source)
    {
        return new GoRegex(source);
    }

    String source()
    {
        return source;
    }

    Node root()
    {
        return root;
    }

    int groupCount()
    {
        return groupCount;
    }

    /** Whether the regex uses a construct that Java spells differently or reads with another meaning. */
    boolean rewritten()
    {
        return rewritten;
    }

    String toJava()
    {
        return toJava(root);
    }

    /**
     * The regex split after a leading lazy run of single-char-class characters, as in gitleaks' generated rules
     * ({@code [\w.-]{0,50}?(?:keyword)...}), or null when it does not start so.
     */
    LazyPrefix lazyPrefix()
    {
        if (!(root instanceof Concat concat) || concat.items().size() < 2) {
            return null;
        }
        if (!(concat.items().getFirst() instanceof Repeat repeat) || repeat.greedy() || repeat.min() != 0
                || repeat.max() == UNBOUNDED || !(repeat.body() instanceof CharClass charClass) || charClass.maxChars() != 1) {
            return null;
        }
        Concat rest = new Concat(concat.items().subList(1, concat.items().size()));
        return new LazyPrefix(toJava(charClass), repeat.max(), toJava(rest), rest);
    }

    /**
     * @param charClassJava the run's character class
     * @param maxLength the run's longest length
     * @param restJava the rest of the regex, with the same capturing groups
     */
    record LazyPrefix(String charClassJava, int maxLength, String restJava, Node rest) {}

    /** See {@link #keywordLead(Node, List)}; for the whole regex. */
    int keywordLead(List<String> keywords)
    {
        return keywordLead(root, keywords);
    }

    /**
     * The largest distance from the start of a match of {@code node} to the start of the first lower-cased keyword it
     * must contain, or -1 when this analysis cannot show that every match contains one. Keywords must be lower case.
     */
    static int keywordLead(Node node, List<String> keywords)
    {
        Set<String> finite = finite(node);
        if (finite != null) {
            int lead = 0;
            for (String text : finite) {
                int first = firstKeyword(text, keywords);
                if (first < 0) {
                    return -1;
                }
                lead = Math.max(lead, first);
            }
            return lead;
        }
        return switch (node) {
            case Group group -> keywordLead(group.body(), keywords);
            case Repeat repeat -> repeat.min() >= 1 ? keywordLead(repeat.body(), keywords) : -1;
            case Alternation alternation -> {
                int lead = 0;
                for (Node branch : alternation.branches()) {
                    int branchLead = keywordLead(branch, keywords);
                    if (branchLead < 0) {
                        yield -1;
                    }
                    lead = Math.max(lead, branchLead);
                }
                yield lead;
            }
            case Concat concat -> concatLead(concat.items(), keywords);
            default -> -1;
        };
    }

    private static int concatLead(List<Node> items, List<String> keywords)
    {
        int before = 0;
        for (int i = 0; i < items.size(); i++) {
            int lead = keywordLead(items.get(i), keywords);
            if (lead >= 0) {
                return before + lead;
            }
            // a keyword spread over several items, e.g. the literals g, h, p, _ of ghp_
            for (int end = i + 2; end <= Math.min(items.size(), i + 40); end++) {
                Set<String> run = finite(new Concat(items.subList(i, end)));
                if (run == null) {
                    break;
                }
                int runLead = keywordLead(new Concat(items.subList(i, end)), keywords);
                if (runLead >= 0) {
                    return before + runLead;
                }
            }
            int length = maxLength(items.get(i));
            if (length == UNBOUNDED) {
                return -1;
            }
            before += length;
        }
        return -1;
    }

    /**
     * A character every match must have at most {@code maxOffset} chars after its start: one of {@code chars} (ASCII).
     * Of those this analysis sees before the first unbounded part, the last, e.g. the {@code =} or {@code :} of
     * gitleaks' {@code key ... = value} rules. Null when there is none.
     */
    record RequiredChar(boolean[] chars, int maxOffset) {}

    static RequiredChar requiredChar(Node node)
    {
        List<Node> items = node instanceof Concat concat ? concat.items() : List.of(node);
        RequiredChar last = null;
        int before = 0;
        for (Node item : items) {
            boolean[] first = minLength(item) > 0 ? firstChars(item) : null;
            if (first != null) {
                last = new RequiredChar(first, before);
            }
            int length = maxLength(item);
            if (length == UNBOUNDED) {
                break;
            }
            before += length;
        }
        return last;
    }

    /** The ASCII chars a non-empty match of the node can start with, or null when not known or not only ASCII. */
    private static boolean[] firstChars(Node node)
    {
        return switch (node) {
            case Literal literal -> {
                if (literal.codePoint() >= 128) {
                    yield null;
                }
                boolean[] chars = new boolean[128];
                chars[Character.toLowerCase(literal.codePoint())] = true;
                chars[Character.toUpperCase(literal.codePoint())] = true;
                yield chars;
            }
            case CharClass charClass -> {
                if (charClass.lowerChars() == null) {
                    yield null;
                }
                boolean[] chars = new boolean[128];
                for (String lower : charClass.lowerChars()) {
                    char c = lower.charAt(0);
                    if (lower.length() != 1 || c >= 128) {
                        yield null;
                    }
                    chars[c] = true;
                    chars[Character.toUpperCase(c)] = true;
                }
                yield chars;
            }
            case Group group -> firstChars(group.body());
            case Repeat repeat -> repeat.min() >= 1 ? firstChars(repeat.body()) : null;
            case Alternation alternation -> {
                boolean[] chars = new boolean[128];
                for (Node branch : alternation.branches()) {
                    boolean[] branchChars = minLength(branch) > 0 ? firstChars(branch) : null;
                    if (branchChars == null) {
                        yield null;
                    }
                    for (int c = 0; c < 128; c++) {
                        chars[c] |= branchChars[c];
                    }
                }
                yield chars;
            }
            case Concat concat -> {
                for (Node item : concat.items()) {
                    if (item instanceof Assertion) {
                        continue;
                    }
                    yield minLength(item) > 0 ? firstChars(item) : null;
                }
                yield null;
            }
            case Assertion ignored -> null;
        };
    }

    private static int minLength(Node node)
    {
        return switch (node) {
            case Literal ignored -> 1;
            case CharClass ignored -> 1;
            case Assertion ignored -> 0;
            case Group group -> minLength(group.body());
            case Alternation alternation -> alternation.branches().stream().mapToInt(GoRegex::minLength).min().orElse(0);
            case Concat concat -> concat.items().stream().mapToInt(GoRegex::minLength).sum();
            case Repeat repeat -> repeat.min() * minLength(repeat.body());
        };
    }

    private static int firstKeyword(String text, List<String> keywords)
    {
        int first = -1;
        for (String keyword : keywords) {
            int index = text.indexOf(keyword);
            if (index >= 0 && (first < 0 || index < first)) {
                first = index;
            }
        }
        return first;
    }

    /** All lower-cased strings the node matches, when they are few and short, else null. */
    private static Set<String> finite(Node node)
    {
        return switch (node) {
            case Literal literal -> Set.of(lower(literal.codePoint()));
            case CharClass charClass -> charClass.lowerChars();
            case Assertion ignored -> Set.of("");
            case Group group -> finite(group.body());
            case Alternation alternation -> {
                Set<String> all = new LinkedHashSet<>();
                for (Node branch : alternation.branches()) {
                    Set<String> strings = finite(branch);
                    if (strings == null) {
                        yield null;
                    }
                    all.addAll(strings);
                }
                yield all.size() <= FINITE_LIMIT ? all : null;
            }
            case Concat concat -> {
                Set<String> all = Set.of("");
                for (Node item : concat.items()) {
                    all = product(all, finite(item));
                    if (all == null) {
                        yield null;
                    }
                }
                yield all;
            }
            case Repeat repeat -> {
                if (repeat.max() == UNBOUNDED || repeat.max() > 8) {
                    yield null;
                }
                Set<String> body = finite(repeat.body());
                Set<String> power = Set.of("");
                Set<String> all = new LinkedHashSet<>();
                for (int count = 0; count <= repeat.max(); count++) {
                    if (power == null) {
                        yield null;
                    }
                    if (count >= repeat.min()) {
                        all.addAll(power);
                    }
                    power = count < repeat.max() ? product(power, body) : power;
                }
                yield all.size() <= FINITE_LIMIT ? all : null;
            }
        };
    }

    private static Set<String> product(Set<String> left, Set<String> right)
    {
        if (left == null || right == null || (long) left.size() * right.size() > FINITE_LIMIT) {
            return null;
        }
        Set<String> product = new LinkedHashSet<>();
        for (String a : left) {
            for (String b : right) {
                if (a.length() + b.length() > FINITE_MAX_LENGTH) {
                    return null;
                }
                product.add(a + b);
            }
        }
        return product;
    }

    /** Longest match in chars, or -1 when unbounded. */
    private static int maxLength(Node node)
    {
        return switch (node) {
            case Literal literal -> Character.charCount(literal.codePoint());
            case CharClass charClass -> charClass.maxChars();
            case Assertion ignored -> 0;
            case Group group -> maxLength(group.body());
            case Alternation alternation -> {
                int max = 0;
                for (Node branch : alternation.branches()) {
                    int length = maxLength(branch);
                    if (length == UNBOUNDED) {
                        yield UNBOUNDED;
                    }
                    max = Math.max(max, length);
                }
                yield max;
            }
            case Concat concat -> {
                int sum = 0;
                for (Node item : concat.items()) {
                    int length = maxLength(item);
                    if (length == UNBOUNDED) {
                        yield UNBOUNDED;
                    }
                    sum += length;
                }
                yield sum;
            }
            case Repeat repeat -> {
                int length = maxLength(repeat.body());
                yield repeat.max() == UNBOUNDED || length == UNBOUNDED ? UNBOUNDED : length * repeat.max();
            }
        };
    }

    private static String lower(int codePoint)
    {
        // per UTF-16 char, as the scanner lower-cases text, so offsets stay the same
        String text = Character.toString(codePoint);
        StringBuilder lower = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            lower.append(Character.toLowerCase(text.charAt(i)));
        }
        return lower.toString();
    }

    // ---- Java output ----

    static String toJava(Node node)
    {
        StringBuilder java = new StringBuilder();
        write(node, java, new boolean[] {false});
        return java.toString();
    }

    /** {@code fold} is the case-folding state Java is in at this point of the output. */
    private static void write(Node node, StringBuilder java, boolean[] fold)
    {
        switch (node) {
            case Literal literal -> {
                if (hasCase(literal.codePoint())) {
                    setFold(literal.foldCase(), java, fold);
                }
                appendLiteral(literal.codePoint(), java);
            }
            case CharClass charClass -> {
                setFold(charClass.foldCase(), java, fold);
                java.append(charClass.java());
            }
            case Assertion assertion -> java.append(assertion.java());
            case Group group -> {
                boolean outer = fold[0];
                java.append(group.index() > 0 ? "(" : "(?:");
                write(group.body(), java, fold);
                java.append(')');
                // Java restores the flags at the end of a group
                fold[0] = outer;
            }
            case Concat concat -> concat.items().forEach(item -> write(item, java, fold));
            case Alternation alternation -> {
                boolean start = fold[0];
                for (int i = 0; i < alternation.branches().size(); i++) {
                    if (i > 0) {
                        java.append('|');
                        // whether a flag carries over '|' is not obvious in Java: state it again
                        if (fold[0] != start) {
                            java.append(start ? "(?i)" : "(?-i)");
                        }
                        fold[0] = start;
                    }
                    write(alternation.branches().get(i), java, fold);
                }
            }
            case Repeat repeat -> {
                if (repeat.body() instanceof Literal || repeat.body() instanceof CharClass) {
                    write(repeat.body(), java, fold);
                }
                else {
                    boolean outer = fold[0];
                    java.append("(?:");
                    write(repeat.body(), java, fold);
                    java.append(')');
                    fold[0] = outer;
                }
                if (repeat.min() == 0 && repeat.max() == UNBOUNDED) {
                    java.append('*');
                }
                else if (repeat.min() == 1 && repeat.max() == UNBOUNDED) {
                    java.append('+');
                }
                else if (repeat.min() == 0 && repeat.max() == 1) {
                    java.append('?');
                }
                else if (repeat.max() == UNBOUNDED) {
                    java.append('{').append(repeat.min()).append(",}");
                }
                else if (repeat.min() == repeat.max()) {
                    java.append('{').append(repeat.min()).append('}');
                }
                else {
                    java.append('{').append(repeat.min()).append(',').append(repeat.max()).append('}');
                }
                if (!repeat.greedy()) {
                    java.append('?');
                }
            }
        }
    }

    private static void setFold(boolean wanted, StringBuilder java, boolean[] fold)
    {
        if (fold[0] != wanted) {
            java.append(wanted ? "(?i)" : "(?-i)");
            fold[0] = wanted;
        }
    }

    private static boolean hasCase(int codePoint)
    {
        return Character.toLowerCase(codePoint) != Character.toUpperCase(codePoint);
    }

    private static void appendLiteral(int codePoint, StringBuilder java)
    {
        if (codePoint < 128 && Character.isLetterOrDigit(codePoint)) {
            java.append((char) codePoint);
        }
        else if (codePoint > 32 && codePoint < 127) {
            java.append('\\').append((char) codePoint);
        }
        else {
            java.append("\\x{").append(Integer.toHexString(codePoint)).append('}');
        }
    }

    // ---- parser ----

    private record Flags(boolean foldCase, boolean multiLine, boolean dotAll, boolean ungreedy) {}

    private Node parseAlternation(Flags flags)
    {
        List<Node> branches = new ArrayList<>();
        Flags[] current = {flags};
        branches.add(parseConcat(current));
        while (position < source.length() && source.charAt(position) == '|') {
            position++;
            branches.add(parseConcat(current));
        }
        return branches.size() == 1 ? branches.getFirst() : new Alternation(List.copyOf(branches));
    }

    /** {@code flags[0]} changes with inline flags such as {@code (?i)}, which last to the end of the group. */
    private Node parseConcat(Flags[] flags)
    {
        List<Node> items = new ArrayList<>();
        while (position < source.length()) {
            char c = source.charAt(position);
            if (c == '|' || c == ')') {
                break;
            }
            Node atom = parseAtom(flags, items);
            if (atom != null) {
                items.add(parseRepeats(atom, flags[0]));
            }
        }
        return items.size() == 1 ? items.getFirst() : new Concat(List.copyOf(items));
    }

    private Node parseRepeats(Node atom, Flags flags)
    {
        Node node = atom;
        while (position < source.length()) {
            char c = source.charAt(position);
            int min;
            int max;
            if (c == '*' || c == '+' || c == '?') {
                position++;
                min = c == '+' ? 1 : 0;
                max = c == '?' ? 1 : UNBOUNDED;
            }
            else if (c == '{' && isRepeatBraces(position)) {
                int close = source.indexOf('}', position);
                String inside = source.substring(position + 1, close);
                position = close + 1;
                int comma = inside.indexOf(',');
                if (comma < 0) {
                    min = Integer.parseInt(inside);
                    max = min;
                }
                else {
                    min = Integer.parseInt(inside.substring(0, comma));
                    max = comma == inside.length() - 1 ? UNBOUNDED : Integer.parseInt(inside.substring(comma + 1));
                }
                if (min > 1000 || max > 1000 || (max != UNBOUNDED && max < min)) {
                    throw error("invalid repeat count {" + inside + "}");
                }
            }
            else {
                break;
            }
            if (node instanceof Assertion || node instanceof Repeat) {
                throw error("missing argument to repetition operator");
            }
            boolean lazy = position < source.length() && source.charAt(position) == '?';
            if (lazy) {
                position++;
            }
            node = new Repeat(node, min, max, lazy == flags.ungreedy());
        }
        return node;
    }

    /** Go reads {@code {} as a literal unless it is {n}, {n,} or {n,m}. */
    private boolean isRepeatBraces(int open)
    {
        int close = source.indexOf('}', open);
        return close > open && source.substring(open + 1, close).matches("\\d+(?:,\\d*)?");
    }

    /** One atom, or null for an inline flag setting (which changes {@code flags[0]}). */
    private Node parseAtom(Flags[] flags, List<Node> items)
    {
        char c = source.charAt(position);
        Flags f = flags[0];
        switch (c) {
            case '(' -> {
                return parseGroup(flags);
            }
            case '[' -> {
                return parseClass(f);
            }
            case '.' -> {
                position++;
                return new CharClass(f.dotAll() ? "[\\x{0}-\\x{10FFFF}]" : "[^\\n]", f.foldCase(), 2, null);
            }
            case '^' -> {
                position++;
                rewritten |= f.multiLine();
                return new Assertion(f.multiLine() ? "(?:\\A|(?<=\\n))" : "^");
            }
            case '$' -> {
                position++;
                rewritten = true;
                return new Assertion(f.multiLine() ? "(?=\\n|\\z)" : "\\z");
            }
            case '\\' -> {
                return parseEscape(f, items);
            }
            case '*', '+', '?' -> throw error("missing argument to repetition operator");
            default -> {
                int codePoint = source.codePointAt(position);
                position += Character.charCount(codePoint);
                return new Literal(codePoint, f.foldCase());
            }
        }
    }

    private Node parseGroup(Flags[] flags)
    {
        position++;
        int index = 0;
        Flags inner = flags[0];
        if (source.startsWith("?P<", position) || (source.startsWith("?<", position) && !source.startsWith("?<=", position)
                && !source.startsWith("?<!", position))) {
            int close = source.indexOf('>', position);
            if (close < 0) {
                throw error("invalid named capture");
            }
            position = close + 1;
            index = ++groups;
            rewritten = true;
        }
        else if (source.startsWith("?", position)) {
            position++;
            boolean negate = false;
            Flags changed = flags[0];
            while (true) {
                if (position >= source.length()) {
                    throw error("missing closing )");
                }
                char c = source.charAt(position++);
                switch (c) {
                    case 'i' -> changed = new Flags(!negate, changed.multiLine(), changed.dotAll(), changed.ungreedy());
                    case 'm' -> changed = new Flags(changed.foldCase(), !negate, changed.dotAll(), changed.ungreedy());
                    case 's' -> changed = new Flags(changed.foldCase(), changed.multiLine(), !negate, changed.ungreedy());
                    case 'U' -> {
                        rewritten = true;
                        changed = new Flags(changed.foldCase(), changed.multiLine(), changed.dotAll(), !negate);
                    }
                    case '-' -> {
                        if (negate) {
                            throw error("invalid flags");
                        }
                        negate = true;
                    }
                    case ')' -> {
                        // (?flags): for the rest of the enclosing group
                        flags[0] = changed;
                        return null;
                    }
                    case ':' -> {
                        inner = changed;
                        Node body = parseAlternation(inner);
                        expectClose();
                        return new Group(0, body);
                    }
                    default -> throw error("invalid or unsupported perl flag or group syntax '(?" + c + "'");
                }
            }
        }
        else {
            index = ++groups;
        }
        Node body = parseAlternation(inner);
        expectClose();
        return new Group(index, body);
    }

    private void expectClose()
    {
        if (position >= source.length() || source.charAt(position) != ')') {
            throw error("missing closing )");
        }
        position++;
    }

    private Node parseEscape(Flags flags, List<Node> items)
    {
        if (position + 1 >= source.length()) {
            throw error("trailing backslash");
        }
        char c = source.charAt(position + 1);
        switch (c) {
            case 'b', 'B', 'A', 'z' -> {
                position += 2;
                return new Assertion("\\" + c);
            }
            case 'd', 'w' -> {
                position += 2;
                return new CharClass("\\" + c, flags.foldCase(), 1, null);
            }
            case 'D', 'W' -> {
                position += 2;
                return new CharClass("\\" + c, flags.foldCase(), 2, null);
            }
            case 's' -> {
                position += 2;
                rewritten = true;
                return new CharClass("[" + SPACE_CHARS + "]", flags.foldCase(), 1, null);
            }
            case 'S' -> {
                position += 2;
                rewritten = true;
                return new CharClass("[^" + SPACE_CHARS + "]", flags.foldCase(), 2, null);
            }
            case 'p', 'P' -> {
                String property = parseUnicodeProperty();
                return new CharClass(property, flags.foldCase(), 2, null);
            }
            case 'Q' -> {
                int end = source.indexOf("\\E", position + 2);
                String quoted = source.substring(position + 2, end < 0 ? source.length() : end);
                position = end < 0 ? source.length() : end + 2;
                List<Node> literals = new ArrayList<>();
                quoted.codePoints().forEach(codePoint -> literals.add(new Literal(codePoint, flags.foldCase())));
                if (literals.isEmpty()) {
                    return null;
                }
                Node last = literals.removeLast();
                items.addAll(literals);
                // the last one is returned, so a repeat after \Q...\E applies to it alone, as in Go
                return last;
            }
            default -> {
                return new Literal(parseEscapedChar(), flags.foldCase());
            }
        }
    }

    private String parseUnicodeProperty()
    {
        // \pL, \p{Greek}, \P{...}: same spelling in Java for the general categories; others may fail to compile there
        int start = position;
        position += 2;
        if (position < source.length() && source.charAt(position) == '{') {
            int close = source.indexOf('}', position);
            if (close < 0) {
                throw error("invalid character class range");
            }
            position = close + 1;
        }
        else {
            position++;
        }
        return source.substring(start, position);
    }

    /** An escape that stands for one character: \n, \x41, \x{263a}, \101, \. and so on. */
    private int parseEscapedChar()
    {
        char c = source.charAt(position + 1);
        position += 2;
        switch (c) {
            case 'a' -> {
                return 7;
            }
            case 'f' -> {
                return '\f';
            }
            case 't' -> {
                return '\t';
            }
            case 'n' -> {
                return '\n';
            }
            case 'r' -> {
                return '\r';
            }
            case 'v' -> {
                rewritten = true;
                return 0x0B;
            }
            case 'x' -> {
                if (position < source.length() && source.charAt(position) == '{') {
                    int close = source.indexOf('}', position);
                    if (close < 0) {
                        throw error("invalid escape sequence");
                    }
                    int codePoint = Integer.parseInt(source.substring(position + 1, close), 16);
                    position = close + 1;
                    return codePoint;
                }
                if (position + 2 > source.length()) {
                    throw error("invalid escape sequence");
                }
                int codePoint = Integer.parseInt(source.substring(position, position + 2), 16);
                position += 2;
                return codePoint;
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    // octal, up to three digits (Go reads \1-\7 as octal too: it has no back references)
                    int value = c - '0';
                    for (int i = 0; i < 2 && position < source.length() && source.charAt(position) >= '0' && source.charAt(position) <= '7'; i++) {
                        value = value * 8 + (source.charAt(position++) - '0');
                    }
                    return value;
                }
                if (c < 128 && !Character.isLetterOrDigit(c)) {
                    return c;
                }
                throw error("invalid escape sequence \\" + c);
            }
        }
    }

    private Node parseClass(Flags flags)
    {
        position++;
        boolean negated = position < source.length() && source.charAt(position) == '^';
        if (negated) {
            position++;
        }
        StringBuilder java = new StringBuilder(negated ? "[^" : "[");
        Set<String> singles = new LinkedHashSet<>();
        boolean onlySingles = !negated;
        boolean bmpOnly = !negated;
        boolean first = true;
        while (true) {
            if (position >= source.length()) {
                throw error("missing closing ]");
            }
            char c = source.charAt(position);
            if (c == ']' && !first) {
                position++;
                break;
            }
            first = false;
            if (c == '[' && source.startsWith("[:", position)) {
                int close = source.indexOf(":]", position + 2);
                if (close > 0) {
                    String name = source.substring(position + 2, close);
                    boolean negatedName = name.startsWith("^");
                    String javaName = POSIX_CLASSES.get(negatedName ? name.substring(1) : name);
                    if (javaName == null) {
                        throw error("invalid character class range [:" + name + ":]");
                    }
                    java.append(javaName.equals("Alnum_") ? (negatedName ? "\\W" : "\\w") : (negatedName ? "\\P{" : "\\p{") + javaName + "}");
                    position = close + 2;
                    rewritten = true;
                    onlySingles = false;
                    bmpOnly &= !negatedName;
                    continue;
                }
            }
            if (c == '\\' && position + 1 < source.length()) {
                char e = source.charAt(position + 1);
                String shorthand = switch (e) {
                    case 'd', 'w' -> "\\" + e;
                    case 'D', 'W' -> "\\" + e;
                    case 's' -> SPACE_CHARS;
                    case 'S' -> "[^" + SPACE_CHARS + "]";
                    default -> null;
                };
                if (shorthand != null) {
                    position += 2;
                    rewritten |= e == 's' || e == 'S';
                    java.append(shorthand);
                    onlySingles = false;
                    bmpOnly &= Character.isLowerCase(e);
                    continue;
                }
                if (e == 'p' || e == 'P') {
                    java.append(parseUnicodeProperty());
                    onlySingles = false;
                    bmpOnly = false;
                    continue;
                }
            }
            int low = classChar();
            if (position + 1 < source.length() && source.charAt(position) == '-' && source.charAt(position + 1) != ']') {
                position++;
                int high = classChar();
                if (high < low) {
                    throw error("invalid character class range");
                }
                appendLiteral(low, java);
                java.append('-');
                appendLiteral(high, java);
                onlySingles = false;
                bmpOnly &= high < 0x10000;
            }
            else {
                appendLiteral(low, java);
                singles.add(lower(low));
                bmpOnly &= low < 0x10000;
            }
        }
        java.append(']');
        Set<String> lowerChars = onlySingles && singles.size() <= 8 ? Set.copyOf(singles) : null;
        return new CharClass(java.toString(), flags.foldCase(), bmpOnly ? 1 : 2, lowerChars);
    }

    private int classChar()
    {
        char c = source.charAt(position);
        if (c == '\\') {
            return parseEscapedChar();
        }
        // a nested class or an intersection in Java
        rewritten |= c == '[' || (c == '&' && source.startsWith("&&", position));
        int codePoint = source.codePointAt(position);
        position += Character.charCount(codePoint);
        return codePoint;
    }

    private IllegalArgumentException error(String message)
    {
        return new IllegalArgumentException("%s at offset %d of %s".formatted(message, position, source));
    }
}
