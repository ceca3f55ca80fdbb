package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.Tag;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("postgres")
class PostgresKillAndResumeTest
        extends KillAndResumeContract
{
    /** The application name of the child's connections, which tells them apart from this JVM's. */
    private static final String CHILD = "tracewh-killed-child";

    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.POSTGRESQL;
    }

    @Override
    protected TestDatabase databaseForAnotherProcess(Path directory)
    {
        return TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
    }

    /** The child writes through the server, so every connection reads what it has committed once it is connected. */
    @Override
    protected boolean childHoldsTheDatabase(TestDatabase database)
    {
        return childConnections(database) > 0;
    }

    /** The server, which is not killed, holds every commit. */
    @Override
    protected void persistCommits(TestDatabase database)
    {
    }

    @Override
    protected String childUrl(TestDatabase database)
    {
        return database.url().jdbcUrl() + "&ApplicationName=" + CHILD;
    }

    /**
     * A server backend outlives its killed client until it notices the closed socket: until then a commit the child
     * sent may still land, and its load lock is held.
     */
    @Override
    protected void awaitChildConnectionsGone(TestDatabase database)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (childConnections(database) > 0) {
            assertTrue(System.nanoTime() < deadline, "the killed child's server connections did not end");
            Thread.sleep(20);
        }
    }

    private static int childConnections(TestDatabase database)
    {
        try (Connection connection = database.url().connect();
                PreparedStatement backends = connection.prepareStatement("select count(*) from pg_stat_activity where application_name = ?")) {
            backends.setString(1, CHILD);
            try (ResultSet count = backends.executeQuery()) {
                count.next();
                return count.getInt(1);
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot count the child's connections: " + e.getMessage(), e);
        }
    }
}
