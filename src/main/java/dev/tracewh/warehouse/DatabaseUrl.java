package dev.tracewh.warehouse;

import org.postgresql.PGProperty;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Where the warehouse lives: {@code --db}, else {@code TRACEWH_DB}, else the embedded H2 file
 * {@code $HOME/.tracewh/warehouse}. H2 URLs get the settings the schema needs (PostgreSQL mode, lower-case names);
 * PostgreSQL URLs name the warehouse's schema ({@code currentSchema}), so that every connection tracewh opens works in it.
 * <p>
 * A password never stays in {@link #jdbcUrl}: it is taken out of the URL it came in ({@code password=...},
 * {@code user:password@host}, H2's {@code PASSWORD} setting) and given to the driver as a connection property, so
 * nothing that prints or stores the URL, nor a driver's error message quoting it, can show it.
 *
 * @param password null when none was given: pgjdbc then looks in the password file ({@code PGPASSFILE}, {@code ~/.pgpass})
 * @param schemaByDefault true when the schema is tracewh's default, named neither by {@code --schema}, {@code TRACEWH_SCHEMA} nor the URL
 */
public record DatabaseUrl(String jdbcUrl, Vendor vendor, String password, boolean schemaByDefault)
{
    /** The warehouse's path below the home folder when neither {@code --db} nor {@code TRACEWH_DB} names one. */
    public static final String DEFAULT_IN_HOME = ".tracewh/warehouse";
    /** The PostgreSQL schema of a warehouse whose schema nobody named. */
    public static final String DEFAULT_SCHEMA = "tracewh";
    /**
     * WRITE_DELAY=0 writes H2's store at each commit instead of in the background every half second. A background
     * write can put an open transaction's rows in the file, and H2 2.5.252 does not recover from a kill after
     * that: the next insert into those keys spins forever, or times out waiting for a lock that nothing holds
     * (5 of 6 killed loads; 0 of 20 with this setting).
     */
    private static final String H2_SETTINGS = "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;NON_KEYWORDS=DAY,VALUE;WRITE_DELAY=0";
    private static final String USAGE = "--db and TRACEWH_DB take jdbc:postgresql://..., postgresql://..., jdbc:h2:... or the path of an H2 file";
    /** "mysql:", "https:", ...: not a file path, though H2 would take it for one. One letter is a Windows drive. */
    private static final Pattern URL_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");
    /** A schema name PostgreSQL, pgjdbc's currentSchema and Flyway all read alike: unquoted, lower case. */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern PASSWORD_SETTING = Pattern.compile("(?i)(password=)[^&;\\s'\"]*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^/@\\s:]*:)[^/\\s]*@");
    /** libpq parameters pgjdbc knows under another name. */
    private static final Map<String, String> LIBPQ_PARAMETERS = Map.of("application_name", "ApplicationName", "connect_timeout", "connectTimeout");

    public enum Vendor
    {
        H2("h2"), POSTGRESQL("postgresql");

        private final String migrationFolder;

        Vendor(String migrationFolder)
        {
            this.migrationFolder = migrationFolder;
        }

        /** The vendor folder below {@code db/migration/} holding statements only this database understands. */
        public String migrationFolder()
        {
            return migrationFolder;
        }
    }

    public DatabaseUrl
    {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(vendor, "vendor is null");
    }

    /**
     * Resolves the options (either may be null) and the environment: {@code TRACEWH_DB}, {@code TRACEWH_SCHEMA}, and
     * {@code PGPASSWORD}, the password of a PostgreSQL URL that has none (pgjdbc does not read it itself).
     *
     * @throws IllegalArgumentException for a URL or schema name tracewh cannot use; its message never holds a password
     */
    public static DatabaseUrl resolve(String option, String schemaOption, Map<String, String> environment)
    {
        requireNonNull(environment, "environment is null");
        DatabaseUrl url = parse(firstGiven(option, environment.get("TRACEWH_DB"), defaultPath(environment).toString()),
                firstGiven(schemaOption, environment.get("TRACEWH_SCHEMA"), null));
        String pgPassword = environment.get("PGPASSWORD");
        if (url.vendor == Vendor.POSTGRESQL && url.password == null && pgPassword != null && !pgPassword.isEmpty()) {
            return new DatabaseUrl(url.jdbcUrl, url.vendor, pgPassword, url.schemaByDefault);
        }
        return url;
    }

    /**
     * The H2 file of the warehouse when none is named: {@value #DEFAULT_IN_HOME} in {@code $HOME}, as the shell and
     * every other tool read it (Java's {@code user.home} comes from the password database instead); in
     * {@code user.home} only when {@code HOME} is unset.
     */
    public static Path defaultPath(Map<String, String> environment)
    {
        String home = environment.get("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home).resolve(DEFAULT_IN_HOME).toAbsolutePath().normalize();
    }

    /** A JDBC URL (H2 or PostgreSQL), a libpq URL ({@code postgresql://...}) or a plain path taken as an H2 file. */
    public static DatabaseUrl parse(String url)
    {
        return parse(url, null);
    }

    /** Like {@link #parse(String)}; {@code schema} (may be null) is the PostgreSQL schema, ignored by H2. */
    public static DatabaseUrl parse(String url, String schema)
    {
        requireNonNull(url, "url is null");
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return postgresql(url.substring("jdbc:postgresql:".length()), false, schema);
        }
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            return postgresql(url.substring(url.indexOf(':') + 1), true, schema);
        }
        if (lower.startsWith("jdbc:h2:")) {
            return h2(url);
        }
        if (lower.startsWith("jdbc:") || URL_SCHEME.matcher(url).lookingAt()) {
            throw new IllegalArgumentException("unsupported database URL " + redact(url) + ": " + USAGE);
        }
        return h2File(url);
    }

    /**
     * A PostgreSQL URL after {@code jdbc:postgresql:} or {@code postgresql:}: {@code //[user[:password]@]hosts/database?params}
     * (pgjdbc also takes {@code database?params}). A libpq URL's parameters are libpq's: percent-encoded, and a few
     * named differently in pgjdbc; one pgjdbc does not know is refused rather than ignored as pgjdbc would.
     */
    private static DatabaseUrl postgresql(String rest, boolean libpq, String schema)
    {
        int queryStart = rest.indexOf('?');
        String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
        String user = null;
        String password = null;
        String location = beforeQuery;
        if (beforeQuery.startsWith("//")) {
            // the user info ends at the last '@': a password may hold an unencoded '/' (base64), which must not end the authority
            int pathStart = beforeQuery.indexOf('/', Math.max(2, beforeQuery.lastIndexOf('@') + 1));
            String authority = beforeQuery.substring(2, pathStart < 0 ? beforeQuery.length() : pathStart);
            String path = pathStart < 0 ? "" : beforeQuery.substring(pathStart + 1);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                int colon = userInfo.indexOf(':');
                user = percentDecoded(colon < 0 ? userInfo : userInfo.substring(0, colon));
                password = colon < 0 ? null : percentDecoded(userInfo.substring(colon + 1));
                authority = authority.substring(at + 1);
            }
            if (libpq) {
                // libpq's default host is a local socket, which pgjdbc cannot reach: the nearest is localhost
                authority = authority.isEmpty() ? "localhost" : authority;
                path = jdbcEncoded(percentDecoded(path));
            }
            location = "//" + authority + "/" + path;
        }
        List<String> parameters = new ArrayList<>();
        String currentSchema = null;
        for (String parameter : queryStart < 0 ? new String[0] : rest.substring(queryStart + 1).split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            String raw = equals < 0 ? "" : parameter.substring(equals + 1);
            String value = libpq ? percentDecoded(raw) : URLDecoder.decode(raw, StandardCharsets.UTF_8);
            if (libpq) {
                name = LIBPQ_PARAMETERS.getOrDefault(name, name);
                if (PGProperty.forName(name) == null) {
                    throw new IllegalArgumentException("unsupported parameter '" + name + "' in the database URL " + redact("postgresql:" + rest)
                            + ": the PostgreSQL JDBC driver has no such setting");
                }
            }
            if (name.equals("password")) {
                password = value;
            }
            else if (name.equals("user") && libpq) {
                user = value;
            }
            else {
                if (name.equals("currentSchema")) {
                    currentSchema = value;
                }
                parameters.add(libpq ? name + "=" + jdbcEncoded(value) : parameter);
            }
        }
        if (user != null && parameters.stream().noneMatch(parameter -> parameter.startsWith("user="))) {
            parameters.addFirst("user=" + jdbcEncoded(user));
        }
        boolean schemaByDefault = false;
        if (currentSchema == null) {
            parameters.add("currentSchema=" + validSchema(schema == null ? DEFAULT_SCHEMA : schema, "--schema or TRACEWH_SCHEMA"));
            schemaByDefault = schema == null;
        }
        else {
            String first = validSchema(firstSchema(currentSchema), "the currentSchema of the database URL");
            if (schema != null && !schema.equals(first)) {
                throw new IllegalArgumentException("--schema or TRACEWH_SCHEMA names the schema '" + schema + "' but the database URL's currentSchema is '"
                        + currentSchema + "': give one of them");
            }
        }
        String jdbcUrl = "jdbc:postgresql:" + location + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
        return new DatabaseUrl(jdbcUrl, Vendor.POSTGRESQL, password, schemaByDefault);
    }

    private static String validSchema(String schema, String source)
    {
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("the schema name '" + schema + "' (" + source + ") is not a plain lower-case SQL name: "
                    + "use letters a-z, digits and _, at most 63");
        }
        return schema;
    }

    /** The first schema of a search path such as {@code traces,public}: the one tables are created in. */
    private static String firstSchema(String searchPath)
    {
        int comma = searchPath.indexOf(',');
        return (comma < 0 ? searchPath : searchPath.substring(0, comma)).strip();
    }

    /** An H2 JDBC URL with tracewh's settings; a {@code PASSWORD} setting becomes the password property. */
    private static DatabaseUrl h2(String url)
    {
        String password = null;
        StringBuilder rest = new StringBuilder();
        String[] parts = url.split(";", -1);
        rest.append(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].regionMatches(true, 0, "password=", 0, "password=".length())) {
                password = parts[i].substring("password=".length());
            }
            else {
                rest.append(';').append(parts[i]);
            }
        }
        return new DatabaseUrl(withH2Settings(rest.toString()), Vendor.H2, password, false);
    }

    /**
     * A plain path as an H2 file, {@code .mv.db} or not. H2 refuses a path relative to the working directory
     * ({@code mywh}, not {@code ./mywh}) as ambiguous; here it is meant, so it becomes absolute. {@code ~} is H2's.
     */
    private static DatabaseUrl h2File(String path)
    {
        if (path.contains(";")) {
            throw new IllegalArgumentException("the H2 file path " + redact(path) + " contains ';', which would start H2 settings: give a jdbc:h2:file: URL");
        }
        String name = path.endsWith(".mv.db") ? path.substring(0, path.length() - ".mv.db".length()) : path;
        String located = name.equals("~") || name.startsWith("~/") ? name : Path.of(name).toAbsolutePath().normalize().toString();
        return new DatabaseUrl(withH2Settings("jdbc:h2:file:" + located), Vendor.H2, null, false);
    }

    private static String withH2Settings(String url)
    {
        StringBuilder result = new StringBuilder(url);
        String lower = url.toLowerCase(Locale.ROOT);
        for (String setting : H2_SETTINGS.split(";")) {
            String key = setting.substring(0, setting.indexOf('=')).toLowerCase(Locale.ROOT);
            if (!lower.contains(";" + key + "=")) {
                result.append(';').append(setting);
            }
        }
        return result.toString();
    }

    /** RFC 3986 percent-decoding, as libpq reads a URL ({@code +} stays a plus). */
    private static String percentDecoded(String text)
    {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
            if (low < 0) {
                throw new IllegalArgumentException("the database URL has a '%' that is not followed by two hexadecimal digits");
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Encoded as pgjdbc decodes its URL's database and parameter values. */
    private static String jdbcEncoded(String value)
    {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String firstGiven(String first, String second, String otherwise)
    {
        return first != null && !first.isBlank() ? first : second != null && !second.isBlank() ? second : otherwise;
    }

    /** Opens a connection, with the password as a property. */
    public Connection connect()
            throws SQLException
    {
        Properties properties = new Properties();
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /** The PostgreSQL schema the warehouse lives in; empty on H2, whose warehouse is in its default schema. */
    public Optional<String> schema()
    {
        if (vendor != Vendor.POSTGRESQL) {
            return Optional.empty();
        }
        int queryStart = jdbcUrl.indexOf('?');
        for (String parameter : queryStart < 0 ? new String[0] : jdbcUrl.substring(queryStart + 1).split("&")) {
            if (parameter.startsWith("currentSchema=")) {
                return Optional.of(firstSchema(URLDecoder.decode(parameter.substring("currentSchema=".length()), StandardCharsets.UTF_8)));
            }
        }
        return Optional.empty();
    }

    /** The same PostgreSQL database with the warehouse in {@code schema}, named as if by {@code --schema}. */
    public DatabaseUrl inSchema(String schema)
    {
        if (vendor != Vendor.POSTGRESQL) {
            throw new IllegalStateException("only a PostgreSQL warehouse has a schema of its own");
        }
        String replaced = jdbcUrl.replaceFirst("([?&]currentSchema=)[^&]*", "$1" + jdbcEncoded(validSchema(schema, "the schema asked for")));
        return new DatabaseUrl(replaced, vendor, password, false);
    }

    /** How a person names the warehouse: an H2 file's path, else the URL without credentials. */
    public String display()
    {
        String h2File = "jdbc:h2:file:";
        if (vendor == Vendor.H2 && jdbcUrl.startsWith(h2File)) {
            int settings = jdbcUrl.indexOf(';');
            return jdbcUrl.substring(h2File.length(), settings < 0 ? jdbcUrl.length() : settings) + " (H2)";
        }
        return redacted();
    }

    /** The URL without credentials, for messages and the audit trail. */
    public String redacted()
    {
        return redact(jdbcUrl);
    }

    /**
     * {@code text} with what reads as a password in a database URL replaced by {@code ***}: a {@code password=}
     * parameter or setting (of any case, as in H2's {@code PASSWORD=}) and the password of {@code scheme://user:password@}.
     */
    public static String redact(String text)
    {
        return USER_INFO_PASSWORD.matcher(PASSWORD_SETTING.matcher(text).replaceAll("$1***")).replaceAll("$1***@");
    }

    /** The redacted URL: a record's own toString would show the password. */
    @Override
    public String toString()
    {
        return redacted();
    }
}
