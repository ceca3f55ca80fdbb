package dev.tracewh.devtools;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Measures one benchmark phase of this JVM. Heap use is sampled every {@value #SAMPLE_MILLIS} ms and read after
 * every collection (GC notifications); the peak RSS counter of the kernel is reset at the start (writing 5 to
 * {@code /proc/self/clear_refs}), so each phase reports its own peak rather than the process's so far. CPU time is
 * split into the JIT's and the garbage collector's threads, and can include a local PostgreSQL server's.
 */
final class ResourceProbe
{
    private static final int SAMPLE_MILLIS = 10;
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private final long startNanos = System.nanoTime();
    private final long startCpuNanos = processCpuNanos();
    private final long startGcMillis = gcMillis();
    private final ProcCpu.JvmThreads startThreads = ProcCpu.jvmThreads();
    private final boolean measureServer;
    private final double startServerCpu;
    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(pool -> pool.getName())
            .collect(Collectors.toSet());
    private final NotificationListener gcListener = this::collected;
    private final Thread sampler;
    private volatile boolean running = true;

    private ResourceProbe(boolean measureServer)
    {
        this.measureServer = measureServer;
        this.startServerCpu = measureServer ? settledServerCpu() : Double.NaN;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(gcListener, null, null);
            }
        }
        sampler = Thread.ofPlatform().daemon().name("tracewh-bench-sampler").start(() -> {
            while (running) {
                peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                }
                catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /**
     * Resets the peak RSS and starts measuring. It does not collect the garbage of earlier phases first: after
     * {@code System.gc()} G1 shrinks the heap, and the next phase ran up to a third slower while it grew back. So a
     * phase's heap numbers are upper bounds: they may count garbage an earlier phase left.
     */
    static ResourceProbe start()
    {
        resetPeakRss();
        return new ResourceProbe(false);
    }

    /** Like {@link #start()}, and also counts the CPU time of a PostgreSQL server on this machine. */
    static ResourceProbe startWithLocalPostgres()
    {
        resetPeakRss();
        return new ResourceProbe(true);
    }

    ResourceUse stop()
    {
        running = false;
        sampler.interrupt();
        try {
            sampler.join();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(gcListener);
                }
                catch (ListenerNotFoundException ignored) {
                    // never added to this collector
                }
            }
        }
        ProcCpu.JvmThreads threads = ProcCpu.jvmThreads();
        return new ResourceUse(
                (System.nanoTime() - startNanos) / 1e9,
                (processCpuNanos() - startCpuNanos) / 1e9,
                (gcMillis() - startGcMillis) / 1e3,
                threads.jitSeconds() - startThreads.jitSeconds(),
                threads.gcSeconds() - startThreads.gcSeconds(),
                measureServer ? settledServerCpu() - startServerCpu : Double.NaN,
                Math.max(peakHeap.get(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()),
                maxAfterGc.get(),
                peakRssBytes());
    }

    private void collected(Notification notification, Object handback)
    {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long before = 0;
        long after = 0;
        for (String pool : heapPools) {
            MemoryUsage usageBefore = info.getGcInfo().getMemoryUsageBeforeGc().get(pool);
            MemoryUsage usageAfter = info.getGcInfo().getMemoryUsageAfterGc().get(pool);
            before += usageBefore == null ? 0 : usageBefore.getUsed();
            after += usageAfter == null ? 0 : usageAfter.getUsed();
        }
        // the heap just before a collection is a peak the 10 ms sampling may have missed
        peakHeap.accumulateAndGet(before, Math::max);
        maxAfterGc.accumulateAndGet(after, Math::max);
    }

    private static long processCpuNanos()
    {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static double settledServerCpu()
    {
        try {
            return ProcCpu.settledLocalPostgres().cpuSeconds();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    private static long gcMillis()
    {
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, collector.getCollectionTime());
        }
        return millis;
    }

    private static void resetPeakRss()
    {
        try {
            Files.writeString(CLEAR_REFS, "5");
        }
        catch (IOException | UnsupportedOperationException ignored) {
            // not Linux, or not permitted: VmHWM then covers the process's life so far
        }
    }

    /** The process's peak resident set size, from {@code VmHWM} in /proc/self/status; -1 when unavailable. */
    static long peakRssBytes()
    {
        try {
            List<String> lines = Files.readAllLines(STATUS);
            for (String line : lines) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (IOException | NumberFormatException ignored) {
            // fall through
        }
        return -1;
    }
}
