package dev.tracewh.devtools;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A byte count written as {@code 300MB}, {@code 1.5GB} or {@code 64KiB}: KB/MB/GB are decimal, KiB/MiB/GiB binary. */
public record DataSize(long bytes)
{
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMG]I?B|B)?", Pattern.CASE_INSENSITIVE);

    public DataSize
    {
        if (bytes <= 0) {
            throw new IllegalArgumentException("size must be positive: " + bytes);
        }
    }

    public static DataSize parse(String text)
    {
        Matcher matcher = SIZE.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a size (expected e.g. 500KB, 300MB, 1GB): " + text);
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        long multiplier = switch (unit) {
            case "B" -> 1;
            case "KB" -> 1_000;
            case "MB" -> 1_000_000;
            case "GB" -> 1_000_000_000;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            default -> throw new IllegalArgumentException("unknown size unit in " + text);
        };
        return new DataSize(Math.round(Double.parseDouble(matcher.group(1)) * multiplier));
    }

    @Override
    public String toString()
    {
        return "%.1f MB".formatted(bytes / 1e6);
    }
}
