package dev.tracewh.devtools;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CPU time read from Linux's /proc, where a benchmark needs more than the JVM reports: which share of this JVM went
 * to its JIT compilers and its garbage collector, what the processes it waited for ({@code psql}) used, and what a
 * PostgreSQL server on this machine used. On another system every reading is NaN.
 */
final class ProcCpu
{
    /** Linux counts CPU time in ticks of USER_HZ, 100 per second on every architecture the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");
    private static final String POSTGRES = "postgres";
    private static final long SETTLE_MILLIS = 20;
    private static final long SETTLE_LIMIT_MILLIS = 5_000;

    private ProcCpu() {}

    /** CPU seconds of this JVM's threads so far, by what they do. */
    record JvmThreads(double jitSeconds, double gcSeconds) {}

    /** The JIT compiler threads (C1, C2) and the garbage collector's (G1's, or any other's worker threads). */
    static JvmThreads jvmThreads()
    {
        long jitTicks = 0;
        long gcTicks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve("self/task"))) {
            for (Path task : tasks) {
                Optional<Stat> stat = Stat.read(task.resolve("stat"));
                if (stat.isEmpty()) {
                    continue;
                }
                String name = stat.get().name();
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    jitTicks += stat.get().ownTicks();
                }
                else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    gcTicks += stat.get().ownTicks();
                }
            }
        }
        catch (IOException | DirectoryIteratorException e) {
            return new JvmThreads(Double.NaN, Double.NaN);
        }
        return new JvmThreads(jitTicks / TICKS_PER_SECOND, gcTicks / TICKS_PER_SECOND);
    }

    /** CPU seconds of the child processes this JVM has waited for, such as {@code psql}. */
    static double waitedForChildren()
    {
        return Stat.read(PROC.resolve("self/stat")).map(stat -> stat.childTicks() / TICKS_PER_SECOND).orElse(Double.NaN);
    }

    /** The CPU seconds of the PostgreSQL servers on this machine so far, and the ids of their processes now. */
    record Server(double cpuSeconds, Set<Long> processIds)
    {
        Server
        {
            processIds = Set.copyOf(processIds);
        }

        /** Whether a process has started since {@code earlier} and has not yet exited and been waited for. */
        boolean hasProcessesSince(Server earlier)
        {
            return !earlier.processIds().containsAll(processIds);
        }
    }

    /**
     * What the PostgreSQL servers on this machine have used so far: every live {@code postgres} process, plus, through
     * the postmaster's count of its waited-for children, the backends that have exited. A backend that has exited but
     * is not yet waited for counts nowhere, so a reading after a client disconnects should wait until its backend has
     * gone. NaN seconds when /proc shows no PostgreSQL (a remote server).
     */
    static Server localPostgres()
    {
        Map<Long, Stat> postgres = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, path -> path.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                Stat.read(process.resolve("stat")).filter(stat -> stat.name().equals(POSTGRES)).ifPresent(stat -> postgres.put(stat.pid(), stat));
            }
        }
        catch (IOException | DirectoryIteratorException e) {
            return new Server(Double.NaN, Set.of());
        }
        if (postgres.isEmpty()) {
            return new Server(Double.NaN, Set.of());
        }
        long ticks = 0;
        for (Stat stat : postgres.values()) {
            ticks += stat.ownTicks();
            if (!postgres.containsKey(stat.parentPid())) {
                ticks += stat.childTicks();
            }
        }
        return new Server(ticks / TICKS_PER_SECOND, postgres.keySet());
    }

    /**
     * {@link #localPostgres()} once two readings {@value #SETTLE_MILLIS} ms apart see the same processes, or after
     * {@value #SETTLE_LIMIT_MILLIS} ms. A backend that exits during a reading can be counted twice, alive and then by
     * the postmaster that has just waited for it, and right after a client disconnects its backend usually is exiting.
     */
    static Server settledLocalPostgres()
            throws InterruptedException
    {
        Server reading = localPostgres();
        for (long waited = 0; waited < SETTLE_LIMIT_MILLIS; waited += SETTLE_MILLIS) {
            Thread.sleep(SETTLE_MILLIS);
            Server next = localPostgres();
            if (next.processIds().equals(reading.processIds())) {
                return next;
            }
            reading = next;
        }
        return reading;
    }

    /** The fields of a {@code /proc/PID/stat} line that these readings use; ticks are user plus system time. */
    record Stat(long pid, String name, long parentPid, long ownTicks, long childTicks)
    {
        /** Empty when the process or thread has gone, or the line is not as expected. */
        static Optional<Stat> read(Path path)
        {
            try {
                return parse(Files.readString(path));
            }
            catch (IOException e) {
                return Optional.empty();
            }
        }

        static Optional<Stat> parse(String line)
        {
            // "pid (name) state ppid ...": the name may hold spaces and parentheses, so it ends at the last ')'
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            if (open < 0 || close < open) {
                return Optional.empty();
            }
            List<String> fields = List.of(line.substring(close + 2).strip().split(" "));
            if (fields.size() < 15) {
                return Optional.empty();
            }
            try {
                // after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
                return Optional.of(new Stat(Long.parseLong(line.substring(0, open).strip()), line.substring(open + 1, close),
                        Long.parseLong(fields.get(1)),
                        Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12)),
                        Long.parseLong(fields.get(13)) + Long.parseLong(fields.get(14))));
            }
            catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}
