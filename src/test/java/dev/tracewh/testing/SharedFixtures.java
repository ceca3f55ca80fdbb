package dev.tracewh.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixtures folder ({@code ../shared/fixtures}), which tests read in place and never copy. */
public final class SharedFixtures
{
    private SharedFixtures() {}

    public static Path root()
    {
        String configured = System.getenv("TRACEWH_SHARED_DIR");
        Path shared = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../shared");
        Path fixtures = shared.resolve("fixtures").toAbsolutePath().normalize();
        if (!Files.isDirectory(fixtures)) {
            throw new IllegalStateException("shared fixtures not found at " + fixtures + " (set TRACEWH_SHARED_DIR)");
        }
        return fixtures;
    }

    public static Path path(String relative)
    {
        return root().resolve(relative);
    }
}
