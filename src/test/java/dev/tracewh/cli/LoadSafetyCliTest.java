package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What `load` does with folders that are gone and with --dry-run, as a user runs it. */
class LoadSafetyCliTest
{
    @TempDir
    Path temp;


    @Test
    void aDryRunWritesNothingNotEvenTheSchema()
            throws IOException
    {
        Path sessions = Cli.copyExamples(temp.resolve("sessions"));
        Path db = temp.resolve("fresh/warehouse");
        Run dryRun = run("load", "--db", db.toString(), "--path", sessions.toString(), "--dry-run");
        assertEquals(2, dryRun.exitCode(), dryRun.err());
        assertFalse(Files.exists(temp.resolve("fresh")), "the dry run created the warehouse");

        assertEquals(0, run("load", "--db", db.toString(), "--path", sessions.toString()).exitCode());
        long runs = Long.parseLong(run("sql", "--db", db.toString(), "--csv", "select count(*) as n from load_runs").out().lines().skip(1).findFirst().orElseThrow());
        Files.writeString(sessions.resolve("new-session.jsonl"), "{\"type\":\"user\",\"sessionId\":\"dry\",\"message\":{\"role\":\"user\",\"content\":\"hi\"}}\n");
        Run planned = run("load", "--db", db.toString(), "--path", sessions.toString(), "--dry-run");
        assertEquals(0, planned.exitCode(), planned.err());
        assertTrue(planned.out().contains("new ") && planned.out().contains("new-session.jsonl"), planned.out());
        assertEquals(String.valueOf(runs), run("sql", "--db", db.toString(), "--csv", "select count(*) as n from load_runs").out().lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void aFolderThatIsGoneWholeIsReportedAndItsFilesAreNotMarkedMissing()
            throws IOException
    {
        Path sessions = Cli.copyExamples(temp.resolve("sessions"));
        String db = temp.resolve("warehouse").toString();
        assertEquals(0, run("load", "--db", db, "--path", sessions.toString()).exitCode());
        Path unmounted = temp.resolve("unmounted");
        Files.move(sessions, unmounted);

        Run load = run("load", "--db", db, "--path", sessions.toString());
        assertEquals(1, load.exitCode(), load.err());
        Run missing = run("sql", "--db", db, "--csv", "select count(*) as n from source_files where status = 'missing'");
        assertEquals("n\n0\n", missing.out());
        Run errors = run("sql", "--db", db, "--csv", "select source_path, message from load_errors where error_class = 'unreadable_path'");
        assertTrue(errors.out().contains("does not exist") && errors.out().contains(sessions.toString()), errors.out());

        // a path that never held sessions is still a usage error
        assertEquals(3, run("load", "--db", db, "--path", temp.resolve("typo").toString()).exitCode());

        Files.move(unmounted, sessions);
        Run back = run("load", "--db", db, "--path", sessions.toString());
        assertEquals(0, back.exitCode(), back.err());
    }

    @Test
    void runsAndErrorsShowTheHostTheFilesWereReadOn()
            throws IOException
    {
        Path sessions = Cli.copyExamples(temp.resolve("sessions"));
        Files.writeString(sessions.resolve("broken.jsonl"), "not json\n");
        String db = temp.resolve("warehouse").toString();
        assertEquals(1, run("load", "--db", db, "--path", sessions.toString(), "--source-host", "ci-runner-7").exitCode());

        Run runs = run("runs", "--db", db, "--json");
        assertTrue(runs.out().contains("\"source_host\":\"ci-runner-7\""), runs.out());
        Run errors = run("errors", "--db", db, "--json");
        assertTrue(errors.out().contains("\"source_host\":\"ci-runner-7\"") && errors.out().contains("broken.jsonl"), errors.out());
        Run states = run("sql", "--db", db, "--csv", "select distinct source_host from source_files");
        assertEquals("source_host\nci-runner-7\n", states.out());
    }


}
