package dev.tracewh.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The shared fixtures folder ({@code $TRACEWH_SHARED_DIR/fixtures}, by default {@code ../shared/fixtures}), which
 * tests read in place and never copy. A fresh clone has no such folder: a test over it is then skipped, with the
 * reason, unless {@code TRACEWH_REQUIRE_SHARED_FIXTURES=1} (set by {@code .ci/run}) makes it fail instead.
 */
public final class SharedFixtures
{
    private SharedFixtures() {}

    /** The nodes of a {@code @TestFactory} over the fixtures, which may read them. */
    @FunctionalInterface
    public interface Nodes
    {
        Stream<? extends DynamicNode> create()
                throws IOException;
    }

    public static Path root()
    {
        Path fixtures = location();
        if (!Files.isDirectory(fixtures)) {
            String reason = "shared fixtures not found at " + fixtures + " (set TRACEWH_SHARED_DIR to the folder that holds fixtures/)";
            if ("1".equals(System.getenv("TRACEWH_REQUIRE_SHARED_FIXTURES"))) {
                throw new IllegalStateException(reason + "; TRACEWH_REQUIRE_SHARED_FIXTURES=1 requires them");
            }
            Assumptions.abort(reason);
        }
        return fixtures;
    }

    public static Path path(String relative)
    {
        return root().resolve(relative);
    }

    /**
     * {@code nodes}, or when the fixtures are missing one test that {@link #root} skips or fails: a factory that
     * aborted would not be reported as skipped.
     */
    public static Stream<DynamicNode> nodes(Nodes nodes)
            throws IOException
    {
        if (!Files.isDirectory(location())) {
            return Stream.of(DynamicTest.dynamicTest("shared fixtures", SharedFixtures::root));
        }
        return nodes.create().map(DynamicNode.class::cast);
    }

    private static Path location()
    {
        String configured = System.getenv("TRACEWH_SHARED_DIR");
        Path shared = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("../shared");
        return shared.resolve("fixtures").toAbsolutePath().normalize();
    }
}
