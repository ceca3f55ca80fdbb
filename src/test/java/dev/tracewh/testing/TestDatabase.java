package dev.tracewh.testing;

import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.Warehouse;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty database for one test: an in-memory H2, or a new schema in PostgreSQL (or a new PostgreSQL
 * database, for tests of what tracewh does with a database's schemas). PostgreSQL comes from
 * {@code TRACEWH_TEST_PG_URL} when set, else from Testcontainers when a Docker daemon answers; with neither,
 * PostgreSQL tests fail (they are never skipped silently).
 */
public final class TestDatabase
        implements AutoCloseable
{
    public enum Kind
    {
        H2, POSTGRESQL
    }

    private final String given;
    private final DatabaseUrl url;
    private final String postgresBaseUrl;
    private final String schema;
    private final String database;

    private TestDatabase(String given, String postgresBaseUrl, String schema, String database)
    {
        this.given = given;
        this.url = DatabaseUrl.parse(given);
        this.postgresBaseUrl = postgresBaseUrl;
        this.schema = schema;
        this.database = database;
    }

    public static TestDatabase create(Kind kind)
    {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (kind == Kind.H2) {
            return new TestDatabase("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", null, null, null);
        }
        String base = PostgresServer.baseUrl();
        execute(base, "create schema " + name);
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
        return new TestDatabase(url, base, name, null);
    }

    /** A new PostgreSQL database of its own, dropped on close; its URL names no schema. */
    public static TestDatabase postgresDatabase()
    {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String base = PostgresServer.baseUrl();
        execute(base, "create database " + name);
        return new TestDatabase(base.replaceFirst("^(jdbc:postgresql://[^/]*/)[^?]*", "$1" + name), base, null, name);
    }

    /** An H2 database in a file, for tests where another process opens it (in-memory H2 lives in one JVM). */
    public static TestDatabase h2File(Path file)
    {
        return new TestDatabase("jdbc:h2:file:" + file.toAbsolutePath(), null, null, null);
    }

    /**
     * {@link #h2File} with AUTO_SERVER: the first process to open the file serves it over TCP to the processes that
     * open it next, so a test can read what a child process commits while it runs.
     */
    public static TestDatabase h2FileServedToOtherProcesses(Path file)
    {
        return new TestDatabase("jdbc:h2:file:" + file.toAbsolutePath() + ";AUTO_SERVER=TRUE", null, null, null);
    }

    public DatabaseUrl url()
    {
        return url;
    }

    /** The URL as a user gives it to tracewh, before {@link DatabaseUrl} adds its settings. */
    public String given()
    {
        return given;
    }

    /** Opens the database and migrates it. */
    public Warehouse open()
    {
        Warehouse warehouse = Warehouse.open(url);
        warehouse.migrate();
        return warehouse;
    }

    @Override
    public void close()
    {
        if (schema != null) {
            execute(postgresBaseUrl, "drop schema " + schema + " cascade");
        }
        else if (database != null) {
            execute(postgresBaseUrl, "drop database " + database + " with (force)");
        }
        else {
            execute(url.jdbcUrl(), "shutdown");
        }
    }

    private static void execute(String jdbcUrl, String sql)
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on the test database: " + e.getMessage(), e);
        }
    }

    /** The PostgreSQL server shared by all tests of one JVM. */
    private static final class PostgresServer
    {
        private static final String BASE_URL = start();

        static String baseUrl()
        {
            return BASE_URL;
        }

        private static String start()
        {
            String configured = System.getenv("TRACEWH_TEST_PG_URL");
            if (configured != null && !configured.isBlank()) {
                return configured;
            }
            if (DockerClientFactory.instance().isDockerAvailable()) {
                // trust, as the server of .ci/run: tracewh keeps a password out of DatabaseUrl.jdbcUrl(), which tests connect with
                PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine").withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");
                container.start();
                Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
                return container.getJdbcUrl() + "?user=" + container.getUsername();
            }
            throw new IllegalStateException("No PostgreSQL for tests: set TRACEWH_TEST_PG_URL=jdbc:postgresql://HOST:PORT/DB?user=U "
                    + "(.ci/run does) or run with a Docker daemon for Testcontainers.");
        }
    }
}
