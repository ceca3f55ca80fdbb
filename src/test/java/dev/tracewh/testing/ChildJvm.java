package dev.tracewh.testing;

import java.nio.file.Path;

/** What starting tracewh in a child JVM needs: a real process, to kill it or to give it an environment of its own. */
public final class ChildJvm
{
    private ChildJvm() {}

    /** The java command of this JVM. */
    public static String javaCommand()
    {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
