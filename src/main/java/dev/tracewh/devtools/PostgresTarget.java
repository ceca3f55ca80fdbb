package dev.tracewh.devtools;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The PostgreSQL database a benchmark owns, from a URL {@code jdbc:postgresql://HOST[:PORT]/bench_NAME[?user=U&password=P]}.
 * The benchmark drops and recreates it, so its name must start with {@code bench_}.
 */
public record PostgresTarget(String host, int port, String database, Map<String, String> parameters)
{
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(?:\\?(.*))?");

    public PostgresTarget
    {
        requireNonNull(host, "host is null");
        requireNonNull(database, "database is null");
        parameters = Map.copyOf(parameters);
        if (!database.matches("bench_[a-z0-9_]+")) {
            throw new IllegalArgumentException("the benchmark drops and recreates its database; its name must be bench_ plus lower-case letters, "
                    + "digits or _: " + database);
        }
    }

    public static PostgresTarget parse(String jdbcUrl)
    {
        Matcher matcher = URL.matcher(jdbcUrl);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://HOST[:PORT]/DATABASE[?user=...] URL: " + jdbcUrl);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (matcher.group(4) != null) {
            for (String pair : matcher.group(4).split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        int port = matcher.group(2) == null ? 5432 : Integer.parseInt(matcher.group(2));
        return new PostgresTarget(matcher.group(1), port, matcher.group(3), parameters);
    }

    String jdbcUrl()
    {
        return jdbcUrl(database);
    }

    private String jdbcUrl(String name)
    {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/').append(name);
        char separator = '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            url.append(separator).append(parameter.getKey()).append('=').append(parameter.getValue());
            separator = '&';
        }
        return url.toString();
    }

    /**
     * Drops the database if it exists (closing other sessions on it) and creates it empty. Then it checkpoints, as
     * the {@code \copy} baseline does before it starts: a load should not pay for the WAL that earlier work left
     * since the last checkpoint.
     */
    void recreate()
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"));
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
            statement.execute("create database " + database);
            statement.execute("checkpoint");
        }
    }

    /** Whether the server runs on this machine, so that its processes' CPU time can be read. */
    boolean isOnThisMachine()
    {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    /** The environment that points {@code psql} at this database. */
    Map<String, String> psqlEnvironment()
    {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PGHOST", host);
        environment.put("PGPORT", Integer.toString(port));
        environment.put("PGDATABASE", database);
        if (parameters.containsKey("user")) {
            environment.put("PGUSER", parameters.get("user"));
        }
        if (parameters.containsKey("password")) {
            environment.put("PGPASSWORD", parameters.get("password"));
        }
        return environment;
    }

    @Override
    public String toString()
    {
        return jdbcUrl().replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
