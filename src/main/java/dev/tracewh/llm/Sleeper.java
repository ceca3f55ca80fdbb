package dev.tracewh.llm;

import java.time.Duration;

/** Waits between retries; tests give one that records the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper
{
    Sleeper THREAD_SLEEP = Thread::sleep;

    void sleep(Duration duration)
            throws InterruptedException;
}
