package dev.tracewh.cli;

import dev.tracewh.cli.Cli.Run;
import dev.tracewh.testing.PasswordCheckingServer;
import dev.tracewh.testing.PasswordCheckingServer.Login;
import dev.tracewh.warehouse.DatabaseUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the password tracewh sends to PostgreSQL comes from, as a server that checks passwords sees it: the URL,
 * else $PGPASSWORD, else the password file pgjdbc reads ($PGPASSFILE, ~/.pgpass); and none of them is printed.
 */
class PasswordSourcesTest
{
    @TempDir
    Path temp;

    private PasswordCheckingServer server;


    @BeforeEach
    void startServer()
    {
        server = PasswordCheckingServer.start();
    }

    @AfterEach
    void stopServer()
            throws InterruptedException
    {
        server.close();
    }

    @Test
    void pgpasswordIsSentForTracewhDbWithoutAPassword()
            throws IOException, InterruptedException
    {
        Run run = tracewh(Map.of("TRACEWH_DB", "jdbc:postgresql://" + server.address() + "/traces?user=alice", "PGPASSWORD", "from-environment"), "runs");
        Login login = server.nextLogin();
        assertEquals("from-environment", login.password());
        assertEquals("alice", login.parameters().get("user"));
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("password authentication failed"), run.err());
        assertFalse(run.out().contains("from-environment") || run.err().contains("from-environment"), run.err());
    }

    @Test
    void thePasswordFileIsReadWhenNoPasswordIsGiven()
            throws IOException, InterruptedException
    {
        Path passwordFile = temp.resolve("pgpass");
        Files.writeString(passwordFile, server.address() + ":traces:alice:from-password-file\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        Run run = tracewh(Map.of("PGPASSFILE", passwordFile.toString()), "runs", "--db", "postgresql://alice@" + server.address() + "/traces");
        assertEquals("from-password-file", server.nextLogin().password());
        assertEquals(2, run.exitCode(), run.err());
        assertFalse(run.err().contains("from-password-file"), run.err());
    }

    @Test
    void aPasswordInTheUrlComesBeforePgpassword()
            throws InterruptedException
    {
        DatabaseUrl url = DatabaseUrl.resolve("jdbc:postgresql://" + server.address() + "/traces?user=alice&password=from-url", null,
                Map.of("PGPASSWORD", "from-environment"));
        assertThrows(SQLException.class, url::connect);
        assertEquals("from-url", server.nextLogin().password());

        assertThrows(SQLException.class, DatabaseUrl.resolve(null, null, Map.of("TRACEWH_DB", "jdbc:postgresql://" + server.address() + "/traces?user=alice",
                "PGPASSWORD", "from-environment"))::connect);
        assertEquals("from-environment", server.nextLogin().password());
    }

    @Test
    void aLibpqUrlReachesTheServerAsLibpqWouldSendIt()
            throws InterruptedException
    {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://alice%40example.com:p%40ss+word@" + server.address() + "/team%20traces?application_name=nightly&sslmode=disable");
        assertThrows(SQLException.class, () -> {
            try (Connection ignored = url.connect()) {
                // refused
            }
        });
        Login login = server.nextLogin();
        assertEquals("p@ss+word", login.password());
        assertEquals("alice@example.com", login.parameters().get("user"));
        assertEquals("team traces", login.parameters().get("database"));
        // pgjdbc sets the application name once logged in: its own reading of the URL says what it will set
        assertEquals("nightly", Driver.parseURL(url.jdbcUrl(), null).getProperty("ApplicationName"));
        assertEquals("tracewh", login.parameters().get("search_path"));
        assertFalse(url.jdbcUrl().contains("p@ss") || url.jdbcUrl().contains("p%40ss"), url.jdbcUrl());
    }

    /** tracewh in a child JVM, whose user.home is the test's folder: pgjdbc reads ~/.pgpass, not the one of whoever runs the tests. */
    private Run tracewh(Map<String, String> environment, String... args)
            throws IOException, InterruptedException
    {
        return Cli.inChildJvm(temp, List.of("-Duser.home=" + temp), environment, args);
    }
}
