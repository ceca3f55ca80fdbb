package dev.tracewh.devtools;

import java.util.SplittableRandom;

/** Random draws shared by the session writers. */
final class Draws
{
    /** Share of tool outputs, per mille, that are long (tens to hundreds of KB): a full log, a large file read. */
    private static final int LONG_OUTPUT_PER_MILLE = 12;

    private Draws() {}

    static boolean chance(SplittableRandom random, double probability)
    {
        return random.nextDouble() < probability;
    }

    /** A value between {@code min} and {@code max} whose logarithm is uniform: many small values, few large ones. */
    static long logUniform(SplittableRandom random, long min, long max)
    {
        double low = Math.log(min);
        return Math.round(Math.exp(low + random.nextDouble() * (Math.log(max) - low)));
    }

    static <T> T pick(SplittableRandom random, T[] options)
    {
        return options[random.nextInt(options.length)];
    }

    /**
     * The length of one tool output: usually between {@code typicalMin} and {@code typicalMax} characters, now and
     * then a long one, never more than half of what the file may still grow by.
     */
    static int toolOutputChars(SplittableRandom random, long bytesLeft, int typicalMin, int typicalMax)
    {
        long chars = random.nextInt(1000) < LONG_OUTPUT_PER_MILLE
                ? logUniform(random, 20_000, 400_000)
                : logUniform(random, typicalMin, typicalMax);
        return (int) Math.max(Math.min(typicalMin, 200), Math.min(chars, bytesLeft / 2));
    }
}
