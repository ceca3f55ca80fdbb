package dev.tracewh.load;

/** Follows a load's progress (the CLI draws a progress bar with it). */
public interface LoadListener
{
    LoadListener NONE = new LoadListener() {};

    /** The load waits for something another process holds, such as the load lock; {@code why} says what and who. */
    default void waiting(String why) {}

    default void started(int filesToRead, long bytesToRead) {}

    default void fileDone(PlannedFile file) {}
}
