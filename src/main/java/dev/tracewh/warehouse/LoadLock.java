package dev.tracewh.warehouse;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Consumer;

import static dev.tracewh.warehouse.schema.Tables.LOAD_LOCKS;
import static java.util.Objects.requireNonNull;

/**
 * Keeps two loads of one scope from running at once. Held on a connection of its own for the whole run:
 * a PostgreSQL session advisory lock, or on H2 a row of {@code load_locks} locked {@code FOR UPDATE}. Either is
 * released when the connection closes, so a killed load never leaves a stale lock behind.
 */
public final class LoadLock
        implements AutoCloseable
{
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private final Connection connection;
    private final DatabaseUrl.Vendor vendor;

    private LoadLock(Connection connection, DatabaseUrl.Vendor vendor)
    {
        this.connection = connection;
        this.vendor = vendor;
    }

    /**
     * Takes the lock of {@code scope}; returns empty when another load holds it, unless {@code wait}, in which
     * case it waits for it, and first tells {@code waiting} who holds it (a wait must never look like a hang).
     */
    public static Optional<LoadLock> acquire(DatabaseUrl url, String scope, String holder, boolean wait, Consumer<String> waiting)
    {
        requireNonNull(scope, "scope is null");
        Connection connection = connect(url);
        try {
            DSLContext dsl = DSL.using(connection, url.vendor() == DatabaseUrl.Vendor.POSTGRESQL ? SQLDialect.POSTGRES : SQLDialect.H2);
            ensureScopeRow(dsl, scope);
            connection.setAutoCommit(false);
            boolean told = false;
            while (true) {
                if (tryLock(dsl, url.vendor(), scope)) {
                    dsl.update(LOAD_LOCKS)
                            .set(LOAD_LOCKS.HOLDER, holder)
                            .set(LOAD_LOCKS.ACQUIRED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                            .where(LOAD_LOCKS.SCOPE.eq(scope))
                            .execute();
                    if (url.vendor() == DatabaseUrl.Vendor.POSTGRESQL) {
                        // the advisory lock is per session: the holder row is only information, commit it
                        connection.commit();
                    }
                    return Optional.of(new LoadLock(connection, url.vendor()));
                }
                if (!wait) {
                    connection.rollback();
                    connection.close();
                    return Optional.empty();
                }
                if (!told) {
                    waiting.accept(describeHolder(dsl, scope));
                    told = true;
                }
                connection.rollback();
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        }
        catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw new WarehouseException("cannot take the load lock '" + scope + "': " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(connection);
            throw new WarehouseException("interrupted while waiting for the load lock '" + scope + "'", e);
        }
    }

    private static String describeHolder(DSLContext dsl, String scope)
    {
        return dsl.select(LOAD_LOCKS.HOLDER, LOAD_LOCKS.ACQUIRED_AT).from(LOAD_LOCKS).where(LOAD_LOCKS.SCOPE.eq(scope)).fetchOptional()
                .map(row -> "waiting for the load lock '" + scope + "', held by " + row.value1() + " since " + row.value2())
                .orElse("waiting for the load lock '" + scope + "'");
    }

    private static boolean tryLock(DSLContext dsl, DatabaseUrl.Vendor vendor, String scope)
    {
        if (vendor == DatabaseUrl.Vendor.POSTGRESQL) {
            String schema = dsl.fetchSingle("select current_schema()").get(0, String.class);
            return dsl.select(DSL.function("pg_try_advisory_lock", Boolean.class, DSL.val(advisoryKey(schema, scope)))).fetchOne(0, Boolean.class);
        }
        return dsl.selectFrom(LOAD_LOCKS).where(LOAD_LOCKS.SCOPE.eq(scope)).forUpdate().skipLocked().fetchOptional().isPresent();
    }

    /** Creates the scope's row once; a plain read first, because on H2 an upsert would wait on a held row. */
    private static void ensureScopeRow(DSLContext dsl, String scope)
    {
        if (dsl.fetchExists(LOAD_LOCKS, LOAD_LOCKS.SCOPE.eq(scope))) {
            return;
        }
        try {
            dsl.insertInto(LOAD_LOCKS).set(LOAD_LOCKS.SCOPE, scope).execute();
        }
        catch (IntegrityConstraintViolationException createdConcurrently) {
            // another load created it between the read and the insert: the row exists, which is all we need
        }
    }

    /**
     * A stable 64-bit key per warehouse and scope, so every tracewh process agrees on it. Advisory locks belong to the
     * whole database: the schema in the key keeps warehouses in two schemas of one database from locking each other out.
     */
    private static long advisoryKey(String schema, String scope)
    {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("tracewh:" + schema + ":" + scope).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect(DatabaseUrl url)
    {
        try {
            return url.connect();
        }
        catch (SQLException e) {
            throw new WarehouseException("cannot open the warehouse at " + url.redacted() + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection connection)
    {
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // already failing: the original error is the one to report
        }
    }

    @Override
    public void close()
    {
        try {
            if (connection.isClosed()) {
                return;
            }
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            if (vendor == DatabaseUrl.Vendor.POSTGRESQL) {
                // a closed connection's backend lets go of its advisory locks only when it has exited, a moment after
                // close() returns: the next load of the scope would find the lock still held
                try (Statement statement = connection.createStatement()) {
                    statement.execute("select pg_advisory_unlock_all()");
                }
            }
            connection.close();
        }
        catch (SQLException e) {
            if (isLost()) {
                // the lock's connection is gone, and the lock with it: the load it guarded is done, nothing is left to release
                return;
            }
            throw new WarehouseException("cannot release the load lock: " + e.getMessage(), e);
        }
    }

    private boolean isLost()
    {
        try {
            boolean lost = !connection.isValid(5);
            if (lost) {
                connection.close();
            }
            return lost;
        }
        catch (SQLException e) {
            return true;
        }
    }
}
