package dev.tracewh.usersql;

import dev.tracewh.warehouse.DatabaseUrl;
import dev.tracewh.warehouse.Warehouse;
import dev.tracewh.warehouse.WarehouseException;
import org.h2.api.ErrorCode;
import org.h2.jdbc.JdbcException;
import org.jooq.ConnectionProvider;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.conf.ParseUnknownFunctions;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.postgresql.core.BaseConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Where SQL the user wrote runs ({@code tracewh sql}, the {@code --where} of exports): a session that reads the
 * warehouse and can do nothing else, unless the user asks to write.
 * <ul>
 * <li>H2 has no read-only transactions, and its admins may run Java code (CREATE ALIAS) and read and write any
 * file (FILE_READ, FILE_WRITE, CSVWRITE, SCRIPT TO). So user SQL runs on a second connection to the same database
 * as the user {@value #H2_READER}, which is no admin and may only SELECT from the warehouse's schema. The
 * warehouse's connection creates the user when it is missing and gives it a new random password each time, which
 * nothing keeps: nobody logs in as it later. An embedded database opened twice in one JVM is one database with two
 * sessions. A login that is no admin already cannot do those things; its own rights are then the guard.</li>
 * <li>PostgreSQL: the warehouse's connection, in a read-only transaction that is always rolled back (so even
 * what a read-only transaction allows, such as creating large objects, is undone). A read-only transaction does not
 * keep a superuser, or a role with pg_read_server_files, pg_write_server_files or pg_execute_server_program, from
 * COPY ... TO PROGRAM, COPY to a server file, pg_read_file or lo_export; nor would SET ROLE to a lesser role, since
 * the statement itself can set the role back (set_config('role', ...)). For such a role only statements that jOOQ's
 * parser reads as one query of functions it knows run read-only; the README recommends a role without those rights.
 * </li>
 * </ul>
 * How many statements a text holds is what the database driver would run ({@link DriverStatements}), and jOOQ's
 * parser, where it understands the text, must agree. A single statement jOOQ cannot parse (SHOW, EXPLAIN, a
 * function jOOQ does not know) still runs: the database's own guard above decides what it may do.
 */
public final class UserSqlSession
        implements AutoCloseable
{
    private static final String H2_READER = "tracewh_reader";
    /**
     * What of the warehouse's H2 URL the reader's connection takes: the database (before the first ';'), the
     * settings of one session (how names parse, the schema, the time zone) and those that reach a database that
     * another process serves. The database is already open on the warehouse's connection, with its database-wide
     * settings (MODE, DB_CLOSE_DELAY, WRITE_DELAY...) in force, and H2 refuses a URL that sets them again from a
     * user who is no admin.
     */
    private static final Set<String> H2_READER_SETTINGS = Set.of("NON_KEYWORDS", "SCHEMA", "SCHEMA_SEARCH_PATH", "TIME ZONE", "AUTO_SERVER", "AUTO_SERVER_PORT",
            "AUTO_RECONNECT");
    /** read_only_sql_transaction and insufficient_privilege. */
    private static final Set<String> POSTGRESQL_REFUSALS = Set.of("25006", "42501");
    /**
     * Rows fetched at a time: PostgreSQL streams a result only with a fetch size, inside a transaction; H2 streams it
     * with LAZY_QUERY_EXECUTION (where the query allows: a sort or a grouping still gathers its rows first).
     */
    private static final int FETCH_SIZE = 1_000;
    private static final Set<Integer> H2_REFUSALS = Set.of(ErrorCode.NOT_ENOUGH_RIGHTS_FOR_1, ErrorCode.ADMIN_RIGHTS_REQUIRED);
    private static final String SERVER_FILE_RIGHTS = "select r.rolsuper or exists (select 1 from pg_roles p "
            + "where p.rolname in ('pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program') and pg_has_role(session_user, p.oid, 'MEMBER')) "
            + "from pg_roles r where r.rolname = session_user";

    private final Warehouse warehouse;
    private final DatabaseUrl.Vendor vendor;
    private final Connection connection;
    private final Optional<ConnectionProvider> borrowedFrom;
    private final DSLContext dsl;

    private UserSqlSession(Warehouse warehouse, Connection connection, Optional<ConnectionProvider> borrowedFrom)
    {
        this.warehouse = warehouse;
        this.vendor = warehouse.url().vendor();
        this.connection = connection;
        this.borrowedFrom = borrowedFrom;
        this.dsl = DSL.using(connection, warehouse.dsl().dialect(), warehouse.dsl().settings());
    }

    /** The session for user SQL on {@code warehouse}, which stays open while the session is. */
    public static UserSqlSession open(Warehouse warehouse)
    {
        requireNonNull(warehouse, "warehouse is null");
        DSLContext admin = warehouse.dsl();
        if (warehouse.url().vendor() == DatabaseUrl.Vendor.H2 && Boolean.TRUE.equals(admin.fetchValue("select is_admin from information_schema.users where user_name = current_user"))) {
            return new UserSqlSession(warehouse, openH2Reader(warehouse), Optional.empty());
        }
        ConnectionProvider provider = admin.configuration().connectionProvider();
        return new UserSqlSession(warehouse, provider.acquire(), Optional.of(provider));
    }

    private static Connection openH2Reader(Warehouse warehouse)
    {
        DSLContext admin = warehouse.dsl();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        admin.execute("create user if not exists " + H2_READER + " password ?", password);
        admin.execute("alter user " + H2_READER + " set password ?", password);
        admin.execute("grant select on schema {0} to " + H2_READER, DSL.quotedName(admin.fetchValue(DSL.currentSchema())));
        Properties credentials = new Properties();
        credentials.setProperty("user", H2_READER);
        credentials.setProperty("password", password);
        try {
            return DriverManager.getConnection(h2ReaderUrl(warehouse.url().jdbcUrl()), credentials);
        }
        catch (SQLException e) {
            throw new WarehouseException("cannot connect to the warehouse as " + H2_READER + ", the H2 user that user SQL runs as: " + e.getMessage(), e);
        }
    }

    private static String h2ReaderUrl(String jdbcUrl)
    {
        String[] parts = jdbcUrl.split(";");
        StringBuilder url = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            int equals = parts[i].indexOf('=');
            if (equals > 0 && H2_READER_SETTINGS.contains(parts[i].substring(0, equals).strip().toUpperCase(Locale.ROOT))) {
                url.append(';').append(parts[i]);
            }
        }
        // the reader never creates a database: the warehouse's is open
        return url.append(";IFEXISTS=TRUE").toString();
    }

    /** Work that reads with user SQL. */
    @FunctionalInterface
    public interface Reading<T>
    {
        T read(DSLContext reader)
                throws IOException;
    }

    /**
     * Runs {@code reading} on this session's connection in a transaction that is rolled back afterwards (read-only
     * on PostgreSQL, where a cursor streams only inside a transaction).
     */
    public <T> T read(Reading<T> reading)
            throws IOException
    {
        requireNonNull(reading, "reading is null");
        return inRolledBackTransaction(() -> {
            try {
                return reading.read(dsl);
            }
            catch (DataAccessException e) {
                SQLException cause = e.getCause(SQLException.class);
                if (cause != null && refused(cause)) {
                    throw new UserSqlException("the warehouse refused this in a read-only session: " + reason(cause), e);
                }
                throw e;
            }
        });
    }

    /**
     * The context that evaluates a user's condition beside a write of the warehouse's own (export sft records the
     * export in the same transaction): on H2 the reader's connection; on PostgreSQL the warehouse's connection,
     * inside the writer's transaction, where what guards is that a {@link UserCondition} holds no statement and
     * no function jOOQ does not know.
     */
    public DSLContext conditionReader()
    {
        return dsl;
    }

    /** What reads a statement's rows, inside its transaction, as they come. */
    @FunctionalInterface
    public interface RowsReader
    {
        void read(Cursor<Record> rows)
                throws IOException;
    }

    /**
     * Runs one statement: read-only as described above, or with {@code write} on the warehouse's own connection,
     * committed (with autocommit, as {@code VACUUM} needs; PostgreSQL then hands over rows a statement returns all at
     * once). Rows, if the statement returns any, go to {@code rows} while the statement runs; the cursor is closed
     * afterwards. A {@link UserSqlException} says why a statement is refused.
     */
    public StatementResult run(String sql, boolean write, RowsReader rows)
            throws IOException
    {
        requireNonNull(sql, "sql is null");
        requireNonNull(rows, "rows is null");
        int statements = driverStatements(sql);
        if (statements == 0) {
            throw new UserSqlException("there is no SQL statement to run", null);
        }
        Parsed parsed = parse(sql);
        if (statements > 1 || parsed.statements() > 1) {
            throw new UserSqlException("tracewh sql runs one statement, and this is " + Math.max(statements, parsed.statements()) + ": run them one at a time", null);
        }
        if (write) {
            try {
                return warehouse.dsl().connectionResult(writer -> {
                    try {
                        return execute(writer, sql, rows);
                    }
                    catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
            catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        if (parsed.query().isPresent() && !(parsed.query().get() instanceof Select)) {
            throw new UserSqlException("tracewh sql only reads, and this statement is not a query: add --write to run it", null);
        }
        if (parsed.query().isEmpty() && reachesServerFiles()) {
            throw new UserSqlException("jOOQ's parser cannot check this statement (" + parsed.problem() + "), and the warehouse's PostgreSQL role is a superuser "
                    + "or may read and write server files or run server programs, which a read-only transaction does not prevent: connect as a role "
                    + "without those rights (see SQL safety in the README), or add --write to run it as it is", null);
        }
        return inRolledBackTransaction(() -> {
            try {
                return vendor == DatabaseUrl.Vendor.H2 ? lazily(() -> execute(connection, sql, rows)) : execute(connection, sql, rows);
            }
            catch (SQLException e) {
                if (refused(e)) {
                    throw refusal(e);
                }
                throw e;
            }
            catch (DataAccessException e) {
                // a lazy result may meet the refusal while its rows are read
                SQLException cause = e.getCause(SQLException.class);
                if (cause != null && refused(cause)) {
                    throw refusal(cause);
                }
                throw e;
            }
        });
    }

    private static UserSqlException refusal(SQLException e)
    {
        return new UserSqlException("tracewh sql only reads (add --write to change the warehouse), and the warehouse refused this statement: " + reason(e), e);
    }

    /** Runs {@code work} with H2's lazy query execution, which streams a result instead of gathering it first. */
    private StatementResult lazily(Work<StatementResult, IOException> work)
            throws SQLException, IOException
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute("set lazy_query_execution true");
        }
        try {
            return work.run();
        }
        finally {
            try (Statement statement = connection.createStatement()) {
                statement.execute("set lazy_query_execution false");
            }
        }
    }

    private int driverStatements(String sql)
    {
        try {
            return vendor == DatabaseUrl.Vendor.POSTGRESQL
                    ? DriverStatements.postgresql(sql, connection.unwrap(BaseConnection.class).getStandardConformingStrings())
                    : DriverStatements.h2(sql);
        }
        catch (SQLException e) {
            throw new UserSqlException("cannot read this SQL: " + e.getMessage(), e);
        }
    }

    /** jOOQ's reading of a statement: the query when it reads the text as one, else why not. */
    private record Parsed(int statements, Optional<Query> query, String problem) {}

    private Parsed parse(String sql)
    {
        SQLDialect dialect = dsl.dialect();
        Settings settings = new Settings()
                .withParseDialect(dialect)
                .withParseUnknownFunctions(ParseUnknownFunctions.FAIL);
        try {
            Query[] queries = DSL.using(dialect, settings).parser().parse(sql).queries();
            return queries.length == 1
                    ? new Parsed(1, Optional.of(queries[0]), null)
                    : new Parsed(queries.length, Optional.empty(), "it reads " + queries.length + " queries in it");
        }
        catch (DataAccessException e) {
            // ParserException, or whatever else stops jOOQ: the statement is then one jOOQ cannot check
            return new Parsed(1, Optional.empty(), e.getMessage());
        }
    }

    private boolean reachesServerFiles()
    {
        return vendor == DatabaseUrl.Vendor.POSTGRESQL && Boolean.TRUE.equals(dsl.fetchValue(SERVER_FILE_RIGHTS));
    }

    private boolean refused(SQLException e)
    {
        return vendor == DatabaseUrl.Vendor.POSTGRESQL ? POSTGRESQL_REFUSALS.contains(e.getSQLState()) : H2_REFUSALS.contains(e.getErrorCode());
    }

    /** The database's words without the statement, which the user has in front of them. */
    private static String reason(SQLException e)
    {
        String message = e instanceof JdbcException h2 ? h2.getOriginalMessage() : e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    private StatementResult execute(Connection target, String sql, RowsReader reader)
            throws SQLException, IOException
    {
        try (Statement statement = target.createStatement()) {
            // what runs is what was counted and parsed: the driver rewrites no JDBC escapes ({fn ...})
            statement.setEscapeProcessing(false);
            statement.setFetchSize(FETCH_SIZE);
            if (statement.execute(sql)) {
                try (ResultSet rows = statement.getResultSet();
                        Cursor<Record> cursor = DSL.using(target, dsl.dialect(), dsl.settings()).fetchLazy(rows)) {
                    reader.read(cursor);
                }
                return StatementResult.rows();
            }
            return StatementResult.changed(statement.getLargeUpdateCount());
        }
    }

    @FunctionalInterface
    private interface Work<T, E extends Exception>
    {
        T run()
                throws SQLException, E;
    }

    private <T, E extends Exception> T inRolledBackTransaction(Work<T, E> work)
            throws E
    {
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                if (vendor == DatabaseUrl.Vendor.POSTGRESQL) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("set transaction read only");
                    }
                }
                return work.run();
            }
            finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        }
        catch (SQLException e) {
            throw new DataAccessException(e.getMessage(), e);
        }
    }

    @Override
    public void close()
    {
        if (borrowedFrom.isPresent()) {
            borrowedFrom.get().release(connection);
            return;
        }
        try {
            connection.close();
        }
        catch (SQLException e) {
            throw new WarehouseException("cannot close the connection of " + H2_READER + ": " + e.getMessage(), e);
        }
    }
}
