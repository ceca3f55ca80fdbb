package dev.tracewh.secrets;

import java.util.HashMap;
import java.util.Map;

/** Shannon entropy in bits per character, over code points, as gitleaks computes it over runes. */
final class ShannonEntropy
{
    private ShannonEntropy() {}

    static double of(String text)
    {
        int[] ascii = new int[128];
        Map<Integer, Integer> others = null;
        int length = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            length++;
            if (codePoint < 128) {
                ascii[codePoint]++;
            }
            else {
                if (others == null) {
                    others = new HashMap<>();
                }
                others.merge(codePoint, 1, Integer::sum);
            }
        }
        double entropy = 0;
        for (int count : ascii) {
            entropy -= term(count, length);
        }
        if (others != null) {
            for (int count : others.values()) {
                entropy -= term(count, length);
            }
        }
        return entropy;
    }

    private static double term(int count, int length)
    {
        if (count == 0) {
            return 0;
        }
        double frequency = (double) count / length;
        return frequency * Math.log(frequency) / Math.log(2);
    }
}
