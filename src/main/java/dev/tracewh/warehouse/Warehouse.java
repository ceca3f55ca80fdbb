package dev.tracewh.warehouse;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.RepairOutput;
import org.flywaydb.core.api.output.RepairResult;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * An open warehouse: one JDBC connection, its jOOQ context and its Flyway history. The schema belongs to the
 * migrations under {@code db/migration/common} plus the vendor folder; commands that write migrate first, commands
 * that read need the schema migrated.
 */
public final class Warehouse
        implements AutoCloseable
{
    /** org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1: the file is locked by another process. */
    private static final int H2_DATABASE_ALREADY_IN_USE = 90020;
    /** org.h2.api.ErrorCode's URL_FORMAT_ERROR_2, URL_RELATIVE_TO_CWD and UNSUPPORTED_SETTING_1: the URL, not the database, is wrong. */
    private static final Set<Integer> H2_URL_REFUSED = Set.of(90046, 90011, 90113);
    /** The types of the schema history rows Flyway writes for what it created, besides migrations. */
    private static final Set<String> FLYWAY_MARKERS = Set.of("TABLE", "SCHEMA");

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

    /**
     * Connects, without migrating; fails with a {@link WarehouseException} naming the (redacted) URL when the
     * database is unreachable. An H2 file and the folders created for it are its owner's only (0600 and 0700).
     * A PostgreSQL warehouse an older tracewh made in schema {@code public} is opened there (see below).
     */
    public static Warehouse open(DatabaseUrl url)
    {
        return open(url, notice -> {});
    }

    /**
     * {@link #open(DatabaseUrl)}; a PostgreSQL warehouse that an older tracewh made in schema {@code public}, before
     * warehouses had a schema of their own, stays there while no schema was named and the default one does not exist
     * (a new, empty warehouse beside it would look like data lost), and {@code notices} hears of it.
     */
    private static Warehouse open(DatabaseUrl url, Consumer<String> notices)
    {
        requireNonNull(url, "url is null");
        Optional<H2File> file = H2File.of(url);
        file.ifPresent(H2File::createFolders);
        try {
            Connection connection = url.connect();
            file.ifPresent(H2File::restrictToOwner);
            boolean olderInPublic;
            try {
                olderInPublic = url.schemaByDefault() && holdsOlderWarehouseInPublic(connection, url.schema().orElseThrow());
            }
            catch (SQLException e) {
                connection.close();
                throw e;
            }
            if (olderInPublic) {
                connection.close();
                notices.accept("the warehouse is in schema public, where tracewh made warehouses before they had a schema of their own; "
                        + "it stays there (--schema public or TRACEWH_SCHEMA=public says so and silences this notice)");
                return open(url.inSchema("public"), notices);
            }
            return new Warehouse(url, connection);
        }
        catch (SQLException e) {
            if (url.vendor() == DatabaseUrl.Vendor.H2 && e.getErrorCode() == H2_DATABASE_ALREADY_IN_USE) {
                throw new WarehouseInUseException("the warehouse " + url.redacted() + " is open in another process, "
                        + "such as a load (H2 lets one process at a time open a file): --wait waits until it closes the file", e);
            }
            if (url.vendor() == DatabaseUrl.Vendor.H2 && H2_URL_REFUSED.contains(e.getErrorCode())) {
                throw new UnusableDatabaseUrlException("unusable database URL " + url.redacted() + ": " + e.getMessage(), e);
            }
            throw new WarehouseException("cannot open the warehouse at " + url.redacted() + ": " + e.getMessage(), e);
        }
    }

    private static boolean holdsOlderWarehouseInPublic(Connection connection, String defaultSchema)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("select to_regnamespace(?) is null "
                + "and to_regclass('public.flyway_schema_history') is not null and to_regclass('public.load_runs') is not null")) {
            statement.setString(1, defaultSchema);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /**
     * Opens the warehouse and applies pending migrations, as commands that write do first. H2 runs DDL outside
     * transactions, so a migration that fails or is killed half-way leaves a schema that neither it nor any other
     * migration can continue from (and Flyway then refuses every later migrate). So an H2 file is copied aside
     * first ({@code <name>.mv.db.pre-migration-<version>}, see {@link H2File}) and the copy written back when a
     * migration fails, or at the next open when the process died before the copy was deleted. On PostgreSQL,
     * Flyway runs each migration in a transaction of its own, so a failed one rolls back and leaves no trace.
     *
     * @param notices what the user should hear of besides the migration (a restored copy)
     */
    public static Warehouse openMigrated(DatabaseUrl url, Consumer<String> notices)
    {
        requireNonNull(notices, "notices is null");
        Optional<H2File> file = H2File.of(url);
        if (file.isEmpty()) {
            Warehouse warehouse = open(url, notices);
            try {
                if (warehouse.historyMatchesShippedMigrations()) {
                    return warehouse;
                }
                warehouse.migrate();
                return warehouse;
            }
            catch (RuntimeException e) {
                try {
                    // Flyway's own words for a failed migration in the history do not say what to run
                    warehouse.failOnFailedMigration(warehouse.schemaStatus());
                    throw e;
                }
                finally {
                    warehouse.close();
                }
            }
        }
        return openMigrated(url, file.get(), notices);
    }

    private static Warehouse openMigrated(DatabaseUrl url, H2File file, Consumer<String> notices)
    {
        Warehouse warehouse = open(url);
        Path copy;
        String version;
        try {
            if (file.copy().isEmpty() && (warehouse.historyMatchesShippedMigrations() || warehouse.schemaStatus().current())) {
                return warehouse;
            }
            warehouse.shutdown();
            restoreInterruptedMigration(file, notices);
            warehouse = open(url);
            SchemaStatus status = warehouse.schemaStatus();
            if (status.current()) {
                return warehouse;
            }
            warehouse.failOnFailedMigration(status);
            version = status.version() == null ? "empty" : status.version().getVersion();
            warehouse.shutdown();
            copy = file.copyAside(version);
            // another tracewh that opens the file first makes this open fail as in use: the copy stays, equal to
            // the file, and whichever tracewh migrates next writes it back before copying it again
            warehouse = open(url);
        }
        catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
        try {
            warehouse.migrate();
        }
        catch (RuntimeException e) {
            warehouse.shutdownAfterFailure();
            try {
                file.restore(copy);
            }
            catch (RuntimeException restoreFailure) {
                e.addSuppressed(restoreFailure);
                throw new WarehouseException(restoreFailure.getMessage() + "; the migration failed: " + e.getMessage(), e);
            }
            throw new WarehouseException("cannot migrate the warehouse at " + url.redacted() + " (it is back at schema version " + version
                    + ", restored from the copy taken before migrating): " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
        try {
            file.deleteCopy(copy);
            return warehouse;
        }
        catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
    }

    /** Writes back the copy a migration left when it did not finish, with the file closed. */
    private static void restoreInterruptedMigration(H2File file, Consumer<String> notices)
    {
        file.copy().ifPresent(copy -> {
            file.restore(copy);
            notices.accept("a migration of " + file.database() + " did not finish: restored it from " + copy.getFileName()
                    + ", the copy taken before (schema version " + file.copyVersion(copy) + "), to migrate it again");
        });
    }

    /**
     * Opens the warehouse for a command that needs its schema as this tracewh knows it and does not migrate (one that
     * reads): fails with a {@link WarehouseException} asking for {@code tracewh migrate} when the schema is older,
     * absent or half-migrated. A missing H2 file is not created.
     */
    public static Warehouse openWithoutMigrating(DatabaseUrl url)
    {
        Optional<H2File> file = H2File.of(url);
        if (file.isPresent() && !file.get().exists()) {
            throw new WarehouseException("there is no warehouse at " + file.get().database() + ": tracewh load or tracewh migrate creates it", null);
        }
        if (file.isPresent() && file.get().copy().isPresent()) {
            throw new WarehouseException("a migration of the warehouse did not finish: run tracewh migrate, which restores "
                    + file.get().copy().get() + " (the copy taken before it) and migrates again", null);
        }
        Warehouse warehouse = open(url);
        try {
            if (warehouse.historyMatchesShippedMigrations()) {
                return warehouse;
            }
            SchemaStatus status = warehouse.schemaStatus();
            warehouse.failOnFailedMigration(status);
            if (!status.current()) {
                throw new WarehouseException(status.version() == null
                        ? "the warehouse has no schema yet, this tracewh needs version " + status.required() + ": run tracewh migrate"
                        : status.version().equals(status.required())
                        ? "the warehouse's views are older than this tracewh's (schema version " + status.version() + "): run tracewh migrate"
                        : "the warehouse schema is at version " + status.version() + ", this tracewh needs " + status.required() + ": run tracewh migrate", null);
            }
            return warehouse;
        }
        catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
    }

    /**
     * The way out of a failed migration ({@code tracewh migrate --repair}): writes back the copy an H2 file's
     * unfinished migration left, then has Flyway remove failed migrations from the history (what they did stays:
     * a failed migration's half-done changes may need undoing by hand before it can run again) and realign the
     * checksums of applied ones.
     */
    public static void repair(DatabaseUrl url, Consumer<String> notices)
    {
        requireNonNull(notices, "notices is null");
        Optional<H2File> file = H2File.of(url);
        file.ifPresent(h2File -> restoreInterruptedMigration(h2File, notices));
        try (Warehouse warehouse = open(url)) {
            RepairResult repair = warehouse.flyway().load().repair();
            for (RepairOutput removed : repair.migrationsRemoved) {
                notices.accept("removed the failed migration to version " + removed.version + " (" + removed.description + ") from the schema history");
            }
            for (RepairOutput aligned : repair.migrationsAligned) {
                notices.accept("realigned the checksum of migration " + (aligned.version == null || aligned.version.isEmpty() ? aligned.description : aligned.version)
                        + " in the schema history");
            }
        }
        catch (FlywayException e) {
            throw new WarehouseException("cannot repair the schema history of the warehouse at " + url.redacted() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies pending migrations on this connection and returns the schema version; no copy is taken aside. Then
     * matches model names to prices: a new shipped price list (R__model_prices_default.sql) forgets every match, and
     * the views price a response only once its model name is matched.
     */
    public String migrate()
    {
        try {
            flyway().load().migrate();
            new PriceMatches(dsl).matchNewModels();
            return schemaVersion();
        }
        catch (RuntimeException e) {
            throw new WarehouseException("cannot migrate the warehouse at " + url.redacted() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where the schema stands against this tracewh's migrations; versions are null before the first. A schema a
     * newer tracewh migrated counts as current: its views are not this tracewh's to replace.
     */
    private record SchemaStatus(MigrationVersion version, MigrationVersion required, boolean pending, Optional<MigrationInfo> failed)
    {
        boolean current()
        {
            return failed.isEmpty() && (!pending || version != null && version.isNewerThan(required));
        }
    }

    /**
     * True when the schema history holds each migration this tracewh ships, applied with the checksum it has now,
     * and nothing else: one query instead of Flyway's start, classpath scan and validation (most of a read
     * command's time). Anything else (an older or newer schema, a failed or edited migration, no history yet) is
     * for {@link #schemaStatus} and Flyway to judge.
     */
    boolean historyMatchesShippedMigrations()
    {
        Map<String, Integer> applied = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select script, checksum, success, type from flyway_schema_history order by installed_rank")) {
            while (rows.next()) {
                // Flyway's rows for the history table it created, and the schema on PostgreSQL, are no migrations
                if (FLYWAY_MARKERS.contains(rows.getString(4))) {
                    continue;
                }
                if (!rows.getBoolean(3)) {
                    return false;
                }
                int checksum = rows.getInt(2);
                // a repeatable migration applied again: its latest row counts
                applied.put(rows.getString(1), rows.wasNull() ? null : checksum);
            }
        }
        catch (SQLException e) {
            // no history table yet, or one Flyway has to read
            return false;
        }
        return applied.equals(ShippedMigrations.of(url.vendor()).checksums());
    }

    private SchemaStatus schemaStatus()
    {
        MigrationInfo[] migrations;
        try {
            migrations = flyway().load().info().all();
        }
        catch (FlywayException e) {
            throw new WarehouseException("cannot read the schema history of the warehouse at " + url.redacted() + ": " + e.getMessage(), e);
        }
        MigrationVersion version = null;
        MigrationVersion required = null;
        boolean pending = false;
        Optional<MigrationInfo> failed = Optional.empty();
        for (MigrationInfo migration : migrations) {
            MigrationState state = migration.getState();
            if (state.isFailed() && failed.isEmpty()) {
                failed = Optional.of(migration);
            }
            pending |= state == MigrationState.PENDING || state == MigrationState.OUTDATED || state == MigrationState.IGNORED;
            if (migration.getVersion() == null) {
                continue;
            }
            if (state.isApplied() && !state.isFailed() && (version == null || migration.getVersion().isNewerThan(version))) {
                version = migration.getVersion();
            }
            if (state.isResolved() && (required == null || migration.getVersion().isNewerThan(required))) {
                required = migration.getVersion();
            }
        }
        return new SchemaStatus(version, required, pending, failed);
    }

    private void failOnFailedMigration(SchemaStatus status)
    {
        status.failed().ifPresent(failed -> {
            throw new WarehouseException("the warehouse has a failed migration " + (failed.getVersion() == null ? "" : "to version " + failed.getVersion() + " ")
                    + "(" + failed.getDescription() + ") in its schema history: run tracewh migrate --repair", null);
        });
    }

    /** Closes the H2 database itself, not only this connection, so that its file can be copied or restored. */
    private void shutdown()
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute("shutdown");
        }
        catch (SQLException e) {
            throw new WarehouseException("cannot close the warehouse at " + url.redacted() + ": " + e.getMessage(), e);
        }
        finally {
            close();
        }
    }

    /** {@link #shutdown} after a failed migration, which may have closed the database already. */
    private void shutdownAfterFailure()
    {
        try {
            shutdown();
        }
        catch (WarehouseException e) {
            // restoring the copy fails, saying so, if the file is still open
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
        FluentConfiguration configuration = Flyway.configure(getClass().getClassLoader())
                // Flyway opens and closes its own connection; ours stays out of its transactions
                .dataSource(url.jdbcUrl(), null, url.password())
                .locations("classpath:db/migration/common", "classpath:db/migration/" + url.vendor().migrationFolder())
                .failOnMissingLocations(true)
                .loggers("slf4j");
        // on PostgreSQL the warehouse has a schema of its own, which Flyway creates: other tables of the database
        // neither stop it nor meet the warehouse's names
        return url.schema().map(schema -> configuration.schemas(schema).defaultSchema(schema)).orElse(configuration);
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

    /** The embedded H2 file on this machine; empty for PostgreSQL and in-memory H2. */
    public Optional<Path> localFile()
    {
        return H2File.of(url).map(H2File::database);
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
