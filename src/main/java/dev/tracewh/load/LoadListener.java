package dev.tracewh.load;

/** Follows a load's progress (the CLI draws a progress bar with it). */
public interface LoadListener
{
    LoadListener NONE = new LoadListener() {};

    /** The load waits for something another process holds, such as the load lock; {@code why} says what and who. */
    default void waiting(String why) {}

    /** The run is recorded as {@code runId} (running): an interrupted process can mark it interrupted. */
    default void runStarted(long runId) {}

    /** The load looks for session files below its roots (a large tree takes a while). */
    default void discovering() {}

    default void started(int filesToRead, long bytesToRead) {}

    default void fileDone(PlannedFile file) {}
}
