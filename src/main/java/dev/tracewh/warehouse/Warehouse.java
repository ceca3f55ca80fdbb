package dev.tracewh.warehouse;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

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
            flyway().load().migrate();
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
        for (MigrationInfo applied : flyway().load().info().applied()) {
            if (applied.getVersion() != null) {
                version = applied.getVersion().getVersion();
            }
        }
        return version;
    }

    /** This warehouse's migrations; tests set a target version to build an older schema. */
    FluentConfiguration flyway()
    {
        return Flyway.configure(getClass().getClassLoader())
                // Flyway opens and closes its own connection; ours stays out of its transactions
                .dataSource(url.jdbcUrl(), null, null)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + url.vendor().migrationFolder())
                .failOnMissingLocations(true)
                .loggers("slf4j");
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
     * Refreshes PostgreSQL's planner statistics of the columns loads look up by. A load that starts on empty tables
     * would otherwise keep planning for empty tables (where autovacuum is off or slow to react). Nothing on H2.
     */
    public void analyze()
    {
        if (url.vendor() == DatabaseUrl.Vendor.POSTGRESQL) {
            dsl.transaction(transaction -> {
                // A 3,000-row sample instead of 30,000: enough for the row counts and for how selective the lookup
                // keys are, in 0.05-0.07 s after a 1 GB load against 0.28-0.69 s. Analyzing only some columns leaves
                // autovacuum's change counter as it was, so autovacuum still samples every column in full later.
                transaction.dsl().execute("set local default_statistics_target = 10");
                // not the large text columns: their statistics cost seconds to sample
                transaction.dsl().execute("analyze sessions (trace_id, source_path), messages (trace_id), tool_calls (trace_id), "
                        + "token_usage (response_key, trace_id), source_files (path)");
            });
        }
    }

    /** The warehouse's size on disk before and after {@link #compact}. */
    public record Compaction(long bytesBefore, long bytesAfter) {}

    /**
     * Gives back the space that loads leave behind. H2 appends every commit's pages to its file and reuses space
     * only later, so a first load of 1 GB of sessions leaves a 0.86 GB file for 0.27 GB of live pages:
     * {@code SHUTDOWN COMPACT} rewrites it (5 s; H2 writes the new file beside the old one and swaps them), after
     * which this warehouse is closed. PostgreSQL gets {@code VACUUM (ANALYZE)}: space of deleted and replaced rows
     * becomes reusable, but its files keep their size. An in-memory H2 database has nothing to compact.
     */
    public Compaction compact()
    {
        if (url.vendor() == DatabaseUrl.Vendor.POSTGRESQL) {
            long before = postgresTablesBytes();
            dsl.execute("vacuum (analyze)");
            return new Compaction(before, postgresTablesBytes());
        }
        if (url.jdbcUrl().toLowerCase(Locale.ROOT).startsWith("jdbc:h2:mem:")) {
            return new Compaction(0, 0);
        }
        long before = h2FileBytes(dsl);
        // plain JDBC: jOOQ asks for the update count afterwards, and the shutdown has closed the connection by then
        try (Statement statement = connection.createStatement()) {
            statement.execute("shutdown compact");
        }
        catch (SQLException e) {
            throw new WarehouseException("cannot compact the warehouse at " + url.redacted() + ": " + e.getMessage(), e);
        }
        try (Warehouse reopened = open(url)) {
            return new Compaction(before, h2FileBytes(reopened.dsl));
        }
    }

    private long postgresTablesBytes()
    {
        return dsl.fetchSingle("select coalesce(sum(pg_total_relation_size(c.oid)), 0) from pg_class c "
                + "join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and c.relkind = 'r'").get(0, Long.class);
    }

    private static long h2FileBytes(DSLContext dsl)
    {
        return dsl.fetchSingle("select setting_value from information_schema.settings where setting_name = 'info.FILE_SIZE'").get(0, Long.class);
    }

    public DSLContext dsl()
    {
        return dsl;
    }

    /** False once the connection is gone: its server backend terminated, or H2 closed the database after an I/O failure. */
    public boolean isConnected()
    {
        try {
            return connection.isValid(5);
        }
        catch (SQLException e) {
            return false;
        }
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
