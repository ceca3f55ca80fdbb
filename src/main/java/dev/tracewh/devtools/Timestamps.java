package dev.tracewh.devtools;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The timestamp spellings of session files: always with milliseconds, unlike {@link DateTimeFormatter#ISO_INSTANT}. */
final class Timestamps
{
    private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FILE_NAME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_FOLDERS = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    /** {@code 2026-02-21T08:19:21.408Z} */
    static String utcMillis(long epochMillis)
    {
        return UTC_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    /** {@code 2026-02-21T08-19-21}, the time in a Codex rollout file name (UTC here; Codex uses local time). */
    static String fileNameTime(long epochMillis)
    {
        return FILE_NAME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** {@code 2026/02/21}, the date folders of Codex's sessions directory. */
    static String dayFolders(long epochMillis)
    {
        return DAY_FOLDERS.format(Instant.ofEpochMilli(epochMillis));
    }
}
