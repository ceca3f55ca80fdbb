package dev.tracewh.warehouse;

import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.Result;
import org.jooq.impl.DSL;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import static dev.tracewh.warehouse.schema.Tables.READER_ROLES;
import static java.util.Objects.requireNonNull;

/**
 * Read access to a PostgreSQL warehouse for an existing role, such as a BI tool's: USAGE on the warehouse's schema and
 * SELECT on its documented {@code v_*} views, and nothing else (no table, no write). The role is recorded in
 * {@code reader_roles}, and the grants are made by {@code grant_reader_roles()}
 * ({@code db/migration/postgresql/R__reader_grants.sql}), which Flyway's afterMigrate callback runs after every
 * migration too: views that a migration drops and makes again, and views a later version adds, stay readable.
 */
public final class ReaderRole
{
    private final DSLContext dsl;

    public ReaderRole(Warehouse warehouse)
    {
        requireNonNull(warehouse, "warehouse is null");
        if (warehouse.url().vendor() != DatabaseUrl.Vendor.POSTGRESQL) {
            throw new IllegalArgumentException("reader roles are PostgreSQL roles, and " + warehouse.url().redacted() + " is H2");
        }
        this.dsl = warehouse.dsl();
    }

    /** What a role can read after {@link #grant}: the views of the warehouse's schema. */
    public record Grant(String role, String schema, List<String> views)
    {
        public Grant
        {
            requireNonNull(role, "role is null");
            requireNonNull(schema, "schema is null");
            views = List.copyOf(views);
        }
    }

    /** Whether a role of exactly this name exists (a name created in quotes keeps its case). */
    public boolean exists(String role)
    {
        requireNonNull(role, "role is null");
        return dsl.fetchExists(DSL.selectOne().from(DSL.table(DSL.name("pg_catalog", "pg_roles")))
                .where(DSL.field(DSL.name("rolname"), String.class).eq(role)));
    }

    /**
     * Records {@code role} as a reader and grants it read access to every view of the warehouse. Fails, granting
     * nothing, when a view stays unreadable: only the views' owner (or a superuser) can grant them.
     */
    public Grant grant(String role)
    {
        requireNonNull(role, "role is null");
        return dsl.transactionResult(configuration -> {
            DSLContext transaction = DSL.using(configuration);
            transaction.insertInto(READER_ROLES)
                    .set(READER_ROLES.ROLE_NAME, role)
                    .set(READER_ROLES.GRANTED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .onConflictDoNothing()
                    .execute();
            transaction.select(DSL.function(DSL.name("grant_reader_roles"), Integer.class)).fetch();
            String schema = transaction.fetchValue(DSL.field("current_schema()", String.class));
            Result<Record2<String, Boolean>> views = transaction.resultQuery("select c.relname, has_table_privilege({0}, c.oid, 'SELECT') "
                            + "from pg_catalog.pg_class c "
                            + "where c.relnamespace = to_regnamespace(current_schema()) and c.relkind = 'v' and starts_with(c.relname, 'v_') "
                            + "order by c.relname", DSL.val(role))
                    .coerce(DSL.field("relname", String.class), DSL.field("readable", Boolean.class))
                    .fetch();
            List<String> unreadable = views.stream().filter(view -> !view.value2()).map(Record2::value1).toList();
            boolean usage = transaction.fetchValue(DSL.field("has_schema_privilege({0}, current_schema(), 'USAGE')", Boolean.class, DSL.val(role)));
            if (!unreadable.isEmpty() || !usage) {
                throw new WarehouseException("cannot give role " + role + " read access to schema " + schema + " ("
                        + (unreadable.isEmpty() ? "no usage" : String.join(", ", unreadable)) + " left unreadable): only the warehouse's owner can", null);
            }
            return new Grant(role, schema, views.getValues(0, String.class));
        });
    }
}
