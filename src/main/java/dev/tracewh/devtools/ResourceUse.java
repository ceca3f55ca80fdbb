package dev.tracewh.devtools;

/**
 * What one benchmark phase cost: wall and CPU seconds (all threads of the process), seconds in garbage collection
 * pauses, the CPU seconds of the JIT compiler threads and of the garbage collector threads (both included in
 * {@code cpuSeconds}), the CPU seconds of a PostgreSQL server on this machine (NaN when not measured), the highest
 * heap use sampled, the highest heap use right after a collection (a floor for what the phase kept alive), and the
 * process's peak resident set size ({@code VmHWM}; -1 where /proc is unavailable).
 */
record ResourceUse(double seconds, double cpuSeconds, double gcSeconds, double jitCpuSeconds, double gcCpuSeconds, double serverCpuSeconds,
        long peakHeapBytes, long maxHeapAfterGcBytes, long peakRssBytes) {}
