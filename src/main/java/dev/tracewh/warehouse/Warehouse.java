package dev.tracewh.warehouse;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static java.util.Objects.requireNonNull;

/**
 * An open warehouse: one JDBC connection, its jOOQ context and its Flyway history. The schema belongs to the
 * migrations under {@code db/migration/common} plus the vendor folder; every command migrates first.
 */
public final class Warehouse
        implements AutoCloseable
{
    /** org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1: the file is locked by another process. */
    private static final int H2_DATABASE_ALREADY_IN_USE = 90020;

    private final DatabaseUrl url;
    private final Connection connection;
    private final DSLContext dsl;

    private Warehouse(DatabaseUrl url, Connection connection)
    {
        this.url = url;
        this.connection = connection;
        SQLDialect dialect = url.vendor() == DatabaseUrl.Vendor.POSTGRESQL ? SQLDialect.POSTGRES : SQLDialect.H2;
        Settings settings = new Settings()
                .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                .withExecuteLogging(false);
        this.dsl = DSL.using(connection, dialect, settings);
    }

    /** Connects; fails with a {@link WarehouseException} naming the (redacted) URL when the database is unreachable. */
    public static Warehouse open(DatabaseUrl url)
    {
        requireNonNull(url, "url is null");
        try {
            Connection connection = DriverManager.getConnection(url.jdbcUrl());
            return new Warehouse(url, connection);
        }
        catch (SQLException e) {
            if (url.vendor() == DatabaseUrl.Vendor.H2 && e.getErrorCode() == H2_DATABASE_ALREADY_IN_USE) {
                throw new WarehouseInUseException("the warehouse " + url.redacted() + " is open in another process "
                        + "(another load holds it; use --wait to wait for it)", e);
            }
            throw new WarehouseException("cannot open the warehouse at " + url.redacted() + ": " + e.getMessage(), e);
        }
    }

    /** Applies pending migrations and returns the schema version. */
    public String migrate()
    {
        try {
            flyway().migrate();
            return schemaVersion();
        }
        catch (RuntimeException e) {
            throw new WarehouseException("cannot migrate the warehouse at " + url.redacted() + ": " + e.getMessage(), e);
        }
    }

    /** The applied schema version, e.g. "1.1". */
    public String schemaVersion()
    {
        String version = null;
        for (MigrationInfo applied : flyway().info().applied()) {
            if (applied.getVersion() != null) {
                version = applied.getVersion().getVersion();
            }
        }
        return version;
    }

    private Flyway flyway()
    {
        return Flyway.configure(getClass().getClassLoader())
                // Flyway opens and closes its own connection; ours stays out of its transactions
                .dataSource(url.jdbcUrl(), null, null)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + url.vendor().migrationFolder())
                .failOnMissingLocations(true)
                .loggers("slf4j")
                .load();
    }

    /**
     * Lets PostgreSQL acknowledge commits before they reach the disk, for bulk loads: a database crash may then
     * lose the last fraction of a second of commits, but each lost file's rows and its load state go together,
     * so the next load reads those files again. Nothing changes on H2.
     */
    public void useAsynchronousCommit()
    {
        if (url.vendor() == DatabaseUrl.Vendor.POSTGRESQL) {
            dsl.execute("set synchronous_commit to off");
        }
    }

    /**
     * Refreshes PostgreSQL's planner statistics of the row tables. A load that starts on empty tables would
     * otherwise keep planning for empty tables (where autovacuum is off or slow to react). Nothing on H2.
     */
    public void analyze()
    {
        if (url.vendor() == DatabaseUrl.Vendor.POSTGRESQL) {
            // only the columns loads look up by: statistics of large text columns cost seconds to sample
            dsl.execute("analyze sessions (trace_id, source_path), messages (trace_id), tool_calls (trace_id), "
                    + "token_usage (source_kind, response_id, trace_id), source_files (path)");
        }
    }

    public DSLContext dsl()
    {
        return dsl;
    }

    public DatabaseUrl url()
    {
        return url;
    }

    @Override
    public void close()
    {
        try {
            connection.close();
        }
        catch (SQLException e) {
            throw new WarehouseException("cannot close the warehouse connection: " + e.getMessage(), e);
        }
    }
}
