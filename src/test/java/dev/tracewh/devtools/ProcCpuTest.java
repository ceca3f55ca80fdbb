package dev.tracewh.devtools;

import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcCpuTest
{
    @Test
    void aStatLineIsReadAroundANameWithSpacesAndParentheses()
    {
        // pid (name) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        String line = "4242 (C2 Compiler (x)) S 17 4242 4242 0 -1 4194560 10 0 0 0 250 30 7 5 20 0 1 0 100 0 0\n";
        ProcCpu.Stat stat = ProcCpu.Stat.parse(line).orElseThrow();
        assertEquals(new ProcCpu.Stat(4242, "C2 Compiler (x)", 17, 280, 12), stat);
        assertEquals(Optional.empty(), ProcCpu.Stat.parse("4242 (cut short) S 17"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisJvmsCompilerThreadsHaveUsedCpu()
    {
        ProcCpu.JvmThreads threads = ProcCpu.jvmThreads();
        // running the test framework alone keeps the JIT busy for more than a tick
        assertTrue(threads.jitSeconds() > 0, threads.toString());
        assertTrue(threads.gcSeconds() >= 0, threads.toString());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aChildProcessWaitedForIsCounted()
            throws Exception
    {
        double before = ProcCpu.waitedForChildren();
        Process busy = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").start();
        assertEquals(0, busy.waitFor());
        assertTrue(ProcCpu.waitedForChildren() - before >= 0.05, "before " + before + ", after " + ProcCpu.waitedForChildren());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theWorkOfALocalPostgresBackendIsCounted()
            throws Exception
    {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
            URI server = URI.create(database.url().jdbcUrl().substring("jdbc:".length()));
            if (!new PostgresTarget(server.getHost(), server.getPort(), "bench_unused", Map.of()).isOnThisMachine()) {
                // a server elsewhere: its processes are not in this machine's /proc
                return;
            }
            double before = ProcCpu.localPostgres().cpuSeconds();
            try (Connection connection = DriverManager.getConnection(database.url().jdbcUrl());
                    Statement statement = connection.createStatement()) {
                statement.execute("select count(*) from generate_series(1, 5000000)");
                // read while the backend lives: once it exits, its time counts only after the postmaster waits for it
                double after = ProcCpu.localPostgres().cpuSeconds();
                assertTrue(after - before >= 0.1, "before " + before + ", after " + after);
            }
        }
    }
}
