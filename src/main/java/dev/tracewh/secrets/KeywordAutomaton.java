package dev.tracewh.secrets;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

import static java.util.Objects.requireNonNull;

/**
 * Aho-Corasick automaton over a fixed list of keywords, matched case-insensitively in one pass. Case is folded per
 * UTF-16 char ({@link Character#toLowerCase(char)}) as the text is read, so hit offsets are offsets in the text
 * itself and no lower-cased copy is made.
 *
 * <p>Written here rather than taken from a library because it runs over every string the loader stores: the
 * transitions are one dense table (state x symbol, where a symbol is one of the few characters that occur in a
 * keyword) whose entries also say whether a keyword ends there, so a char costs two array reads and no allocation.
 */
final class KeywordAutomaton
{
    /** Receives every occurrence of every keyword, overlapping ones included, in order of their end. */
    interface HitSink
    {
        void hit(int keyword, int start);
    }

    private final List<String> keywords;
    private final int[] lengths;
    // symbol of each folded ASCII char; 0 = occurs in no keyword
    private final int[] asciiSymbols = new int[128];
    // folded non-ASCII chars that occur in keywords, sorted, with their symbols
    private final char[] otherChars;
    private final int[] otherSymbols;
    private final int symbolCount;
    // (state x symbol) -> next state's row (state x symbolCount), bit-inverted (negative) when keywords end there
    private final int[] transitions;
    // keywords that end in each state (suffix links followed), or null
    private final int[][] outputs;

    KeywordAutomaton(List<String> keywords)
    {
        this.keywords = List.copyOf(requireNonNull(keywords, "keywords is null"));
        this.lengths = this.keywords.stream().mapToInt(String::length).toArray();

        StringBuilder others = new StringBuilder();
        int symbols = 1;
        for (String keyword : this.keywords) {
            if (keyword.isEmpty()) {
                throw new IllegalArgumentException("empty keyword");
            }
            for (int i = 0; i < keyword.length(); i++) {
                char c = fold(keyword.charAt(i));
                if (c < 128) {
                    if (asciiSymbols[c] == 0) {
                        asciiSymbols[c] = symbols++;
                    }
                }
                else if (others.indexOf(String.valueOf(c)) < 0) {
                    others.append(c);
                }
            }
        }
        this.otherChars = others.toString().toCharArray();
        Arrays.sort(otherChars);
        this.otherSymbols = new int[otherChars.length];
        for (int i = 0; i < otherChars.length; i++) {
            otherSymbols[i] = symbols++;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            asciiSymbols[c - 'a' + 'A'] = asciiSymbols[c];
        }
        this.symbolCount = symbols;

        // trie
        List<int[]> trie = new ArrayList<>();
        List<List<Integer>> ends = new ArrayList<>();
        trie.add(new int[symbolCount]);
        ends.add(new ArrayList<>());
        for (int k = 0; k < this.keywords.size(); k++) {
            String keyword = this.keywords.get(k);
            int state = 0;
            for (int i = 0; i < keyword.length(); i++) {
                int symbol = symbol(keyword.charAt(i));
                if (trie.get(state)[symbol] == 0) {
                    trie.get(state)[symbol] = trie.size();
                    trie.add(new int[symbolCount]);
                    ends.add(new ArrayList<>());
                }
                state = trie.get(state)[symbol];
            }
            ends.get(state).add(k);
        }

        // breadth first: failure links turn the trie into a complete transition table
        int states = trie.size();
        int[] failure = new int[states];
        int[] transitions = new int[states * symbolCount];
        this.outputs = new int[states][];
        Queue<Integer> queue = new ArrayDeque<>();
        for (int symbol = 1; symbol < symbolCount; symbol++) {
            int child = trie.get(0)[symbol];
            transitions[symbol] = child;
            if (child != 0) {
                queue.add(child);
            }
        }
        outputs[0] = null;
        while (!queue.isEmpty()) {
            int state = queue.remove();
            List<Integer> out = new ArrayList<>(ends.get(state));
            if (outputs[failure[state]] != null) {
                for (int k : outputs[failure[state]]) {
                    out.add(k);
                }
            }
            outputs[state] = out.isEmpty() ? null : out.stream().mapToInt(Integer::intValue).toArray();
            for (int symbol = 1; symbol < symbolCount; symbol++) {
                int child = trie.get(state)[symbol];
                if (child != 0) {
                    failure[child] = transitions[failure[state] * symbolCount + symbol];
                    transitions[state * symbolCount + symbol] = child;
                    queue.add(child);
                }
                else {
                    transitions[state * symbolCount + symbol] = transitions[failure[state] * symbolCount + symbol];
                }
            }
        }
        this.transitions = rows(transitions, outputs, symbolCount);
    }

    private static int[] rows(int[] transitions, int[][] outputs, int symbolCount)
    {
        int[] rows = new int[transitions.length];
        for (int i = 0; i < transitions.length; i++) {
            int next = transitions[i];
            rows[i] = outputs[next] != null ? ~(next * symbolCount) : next * symbolCount;
        }
        return rows;
    }

    List<String> keywords()
    {
        return keywords;
    }

    /** Reports every keyword occurrence in {@code text}. */
    void scan(String text, HitSink sink)
    {
        int row = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            row = transitions[row + (c < 128 ? asciiSymbols[c] : symbol(c))];
            if (row < 0) {
                row = ~row;
                for (int keyword : outputs[row / symbolCount]) {
                    sink.hit(keyword, i + 1 - lengths[keyword]);
                }
            }
        }
    }

    /** Whether {@code text} contains any keyword. */
    boolean containsAny(String text)
    {
        int row = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            row = transitions[row + (c < 128 ? asciiSymbols[c] : symbol(c))];
            if (row < 0) {
                return true;
            }
        }
        return false;
    }

    private int symbol(char c)
    {
        if (c < 128) {
            return asciiSymbols[c];
        }
        char folded = fold(c);
        if (folded < 128) {
            return asciiSymbols[folded];
        }
        int index = otherChars.length == 0 ? -1 : Arrays.binarySearch(otherChars, folded);
        return index < 0 ? 0 : otherSymbols[index];
    }

    static char fold(char c)
    {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return Character.toLowerCase(c);
    }
}
