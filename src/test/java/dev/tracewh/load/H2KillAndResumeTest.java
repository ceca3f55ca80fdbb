package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

class H2KillAndResumeTest
        extends KillAndResumeContract
{
    private static final String FILE_URL = "jdbc:h2:file:";

    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }

    /** With AUTO_SERVER, the process that opens the file first serves it to the others, so the test can watch the load. */
    @Override
    protected TestDatabase databaseForAnotherProcess(Path directory)
    {
        return TestDatabase.h2FileServedToOtherProcesses(directory.resolve("warehouse"));
    }

    /**
     * H2 keeps a lock file while a process has the database open; once the test has migrated and closed it, that
     * process is the child, and a connection goes to the child's server instead of opening the file.
     */
    @Override
    protected boolean childHoldsTheDatabase(TestDatabase database)
    {
        String url = database.url().jdbcUrl();
        int settings = url.indexOf(';');
        return Files.exists(Path.of(url.substring(FILE_URL.length(), settings < 0 ? url.length() : settings) + ".lock.db"));
    }

    /**
     * H2 writes what was committed to its file in the background, within a second (MVStore's auto-commit delay), so a
     * kill may take the last second's commits with it; a checkpoint, run in the child through its server, writes them
     * now rather than leaving the test to guess how long the background writer takes on a busy machine.
     */
    @Override
    protected void persistCommits(TestDatabase database)
            throws SQLException
    {
        try (Connection connection = database.url().connect(); Statement statement = connection.createStatement()) {
            statement.execute("checkpoint");
        }
    }

    /** The child's file closes with the child. */
    @Override
    protected void awaitChildConnectionsGone(TestDatabase database)
    {
    }
}
