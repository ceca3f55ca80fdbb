package dev.tracewh.load;

/** Follows a load's progress (the CLI draws a progress bar with it). */
public interface LoadListener
{
    LoadListener NONE = new LoadListener() {};

    default void started(int filesToRead, long bytesToRead) {}

    default void fileDone(PlannedFile file) {}
}
