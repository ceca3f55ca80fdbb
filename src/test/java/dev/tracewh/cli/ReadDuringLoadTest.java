package dev.tracewh.cli;

import dev.tracewh.testing.ChildJvm;
import dev.tracewh.testing.ReplicatedCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read command while a load in another process writes the H2 file, which H2 lets one process open at a time: it
 * exits as locked (4) saying so, and with {@code --wait} answers once the load has closed the file.
 */
class ReadDuringLoadTest
{
    /** Copies of the synthetic corpus: a load of several seconds, long enough for a read to meet it. */
    private static final int COPIES = 12;

    @TempDir
    Path temp;

    @Test
    void aReadMeetingALoadIsLockedAndWithWaitAnswersAfterIt()
            throws Exception
    {
        String warehouse = temp.resolve("warehouse").toString();
        assertEquals(ExitCodes.SUCCESS, Cli.run("migrate", "--db", warehouse).exitCode());
        Path corpus = ReplicatedCorpus.write(temp.resolve("corpus"), COPIES);
        Path log = temp.resolve("load.log");
        // --wait: the load may start while a read below has the file open
        Process load = ChildJvm.start(log, List.of(), "load", "--wait", "--db", warehouse, "--format", "claude_code", "--path", corpus.toString());
        try {
            Cli.Run refused = Cli.run("runs", "--db", warehouse);
            while (refused.exitCode() != ExitCodes.LOCKED) {
                assertEquals(ExitCodes.SUCCESS, refused.exitCode(), refused::all);
                assertTrue(load.isAlive(), () -> "the load ended before a read met it: " + ChildJvm.log(log));
                Thread.sleep(100);
                refused = Cli.run("runs", "--db", warehouse);
            }
            assertTrue(refused.err().contains("is open in another process") && refused.err().contains("--wait"), refused.err());

            Cli.Run waited = Cli.run("runs", "--wait", "--db", warehouse);
            assertEquals(ExitCodes.SUCCESS, waited.exitCode(), waited::all);
            assertTrue(waited.err().contains("waiting until that process closes it"), waited.err());
            assertTrue(waited.out().contains("succeeded"), () -> "the read answered after the load: " + waited.out());
            assertTrue(load.waitFor(2, TimeUnit.MINUTES), "the load did not end");
            assertEquals(ExitCodes.SUCCESS, load.exitValue(), () -> ChildJvm.log(log));
        }
        finally {
            load.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
