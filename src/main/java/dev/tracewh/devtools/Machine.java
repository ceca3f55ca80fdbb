package dev.tracewh.devtools;

import com.sun.management.OperatingSystemMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine and JVM a benchmark ran on, for its report. */
public record Machine(String cpu, int cores, long memoryBytes, String jvm, long maxHeapBytes, String jvmArguments)
{
    public static Machine current()
    {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os ? os.getTotalMemorySize() : -1;
        List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), memory,
                System.getProperty("java.vm.name") + " " + Runtime.version(), Runtime.getRuntime().maxMemory(), String.join(" ", arguments));
    }

    private static String cpuModel()
    {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst()
                    .orElse(System.getProperty("os.arch"));
        }
        catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    @Override
    public String toString()
    {
        return "%s, %d cores, %.0f GB RAM; %s, max heap %.0f MB".formatted(cpu, cores, memoryBytes / 1e9, jvm, maxHeapBytes / 1e6);
    }
}
