package dev.tracewh.devtools;

/**
 * What one benchmark phase cost: wall and CPU seconds (all threads of the process), seconds in garbage collection,
 * the highest heap use sampled, the highest heap use right after a collection (a floor for what the phase kept
 * alive), and the process's peak resident set size ({@code VmHWM}; -1 where /proc is unavailable).
 */
record ResourceUse(double seconds, double cpuSeconds, double gcSeconds, long peakHeapBytes, long maxHeapAfterGcBytes, long peakRssBytes) {}
