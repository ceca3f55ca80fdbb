package dev.tracewh.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Shard {@code index} of {@code count}: the files whose stable path hash falls in it. N loaders given shards
 * 1/N .. N/N load disjoint files, so together they load what one loader would.
 */
public record Shard(int index, int count)
{
    public static final Shard ALL = new Shard(1, 1);

    public Shard
    {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard must be I/N with 1 <= I <= N, got " + index + "/" + count);
        }
    }

    /** Parses "I/N", e.g. "2/8". */
    public static Shard parse(String text)
    {
        String[] parts = text.trim().split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("shard must look like I/N (e.g. 2/8), got '" + text + "'");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException("shard must look like I/N (e.g. 2/8), got '" + text + "'", e);
        }
    }

    /** True when the file belongs to this shard; the hash is of the absolute path, the same on every machine. */
    public boolean contains(Path path)
    {
        if (count == 1) {
            return true;
        }
        CRC32C crc = new CRC32C();
        crc.update(path.toString().getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % count == index - 1;
    }

    /**
     * The lock scope on {@code sourceHost}: shards of one warehouse load side by side, a whole load excludes every other
     * whole load of its host, and hosts load side by side (their files' states are their own).
     */
    public String lockScope(String sourceHost)
    {
        return (count == 1 ? "load" : "load shard " + index + "/" + count) + " on " + sourceHost;
    }

    @Override
    public String toString()
    {
        return index + "/" + count;
    }
}
