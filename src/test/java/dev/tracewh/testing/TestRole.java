package dev.tracewh.testing;

import dev.tracewh.warehouse.DatabaseUrl;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * A PostgreSQL login role for one test, with a password (the test server may trust local connections, Testcontainers'
 * does not), made by the test database's superuser and dropped with everything granted to it when closed.
 */
public final class TestRole
        implements AutoCloseable
{
    private final TestDatabase database;
    private final String name;
    private final String password;

    private TestRole(TestDatabase database, String name, String password)
    {
        this.database = database;
        this.name = name;
        this.password = password;
    }

    /** A new role named {@code prefix} and a random suffix; the prefix may hold any character, quotes too. */
    public static TestRole create(TestDatabase database, String prefix)
    {
        requireNonNull(database, "database is null");
        if (database.url().vendor() != DatabaseUrl.Vendor.POSTGRESQL) {
            throw new IllegalArgumentException("roles are for PostgreSQL test databases");
        }
        String random = UUID.randomUUID().toString().replace("-", "");
        TestRole role = new TestRole(database, prefix + random.substring(0, 12), random);
        role.asSuperuser("create role " + quoted(role.name) + " login password '" + role.password + "'");
        return role;
    }

    public String name()
    {
        return name;
    }

    /** The test database, connected as this role. */
    public DatabaseUrl url()
    {
        return DatabaseUrl.parse(withoutCredentials() + "&user=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&password=" + password);
    }

    /** A connection as this role, in the test database's schema. */
    public Connection connect()
            throws SQLException
    {
        return DriverManager.getConnection(url().jdbcUrl());
    }

    private String withoutCredentials()
    {
        String url = database.url().jdbcUrl();
        int query = url.indexOf('?');
        return url.substring(0, query + 1) + Arrays.stream(url.substring(query + 1).split("&"))
                .filter(parameter -> !parameter.startsWith("user=") && !parameter.startsWith("password="))
                .collect(Collectors.joining("&"));
    }

    @Override
    public void close()
    {
        asSuperuser("drop owned by " + quoted(name));
        asSuperuser("drop role " + quoted(name));
    }

    private void asSuperuser(String sql)
    {
        try (Connection connection = DriverManager.getConnection(database.url().jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on the test database: " + e.getMessage(), e);
        }
    }

    private static String quoted(String identifier)
    {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
