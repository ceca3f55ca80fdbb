package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;
import dev.tracewh.testing.TestRole;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.TreeSet;

import static dev.tracewh.warehouse.schema.Tables.READER_ROLES;
import static dev.tracewh.warehouse.schema.Tables.SESSIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader role, connected as itself, reads every documented view and nothing else, writes nothing, and keeps
 * reading the views that later migrations make again or add.
 */
@Tag("postgres")
class PostgresReaderRoleTest
{
    /** PostgreSQL's insufficient_privilege. */
    private static final String DENIED = "42501";

    private TestDatabase database;
    private Warehouse warehouse;
    private DSLContext dsl;
    private TestRole reader;

    @BeforeEach
    void openWarehouse()
    {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        warehouse = database.open();
        dsl = warehouse.dsl();
        dsl.execute("insert into load_runs (run_id, started_at, status, arguments, tool_version) values (1, current_timestamp, 'succeeded', '', 'test')");
        dsl.execute("insert into sessions (trace_id, source_kind, source_path, root_session_id, is_sidechain, source_meta, message_count, "
                + "tool_call_count, row_hash, first_run_id, last_run_id) values ('t', 'claude_code', '/p', 't', false, '{}', 0, 0, 'h', 1, 1)");
        reader = TestRole.create(database, "tracewh_test_reader_");
    }

    @AfterEach
    void closeWarehouse()
    {
        reader.close();
        warehouse.close();
        database.close();
    }

    @Test
    void aReaderSelectsTheDocumentedViewsAndNothingElse()
            throws SQLException
    {
        ReaderRole.Grant grant = new ReaderRole(warehouse).grant(reader.name());

        assertEquals(List.copyOf(new TreeSet<>(ViewDocs.read().keySet())), grant.views());
        List<String> tables = dsl.fetchValues("select table_name from information_schema.tables where table_schema = current_schema() "
                + "and table_type = 'BASE TABLE' order by table_name").stream().map(String::valueOf).toList();
        try (Connection connection = reader.connect();
                Statement statement = connection.createStatement()) {
            assertEquals(1, count(statement, "select count(*) from v_traces"));
            for (String view : grant.views()) {
                count(statement, "select count(*) from " + view);
            }
            for (String table : tables) {
                String column = dsl.fetchValue("select column_name from information_schema.columns where table_schema = current_schema() "
                        + "and table_name = ? and ordinal_position = 1", table).toString();
                assertDenied(statement, "select * from " + table);
                assertDenied(statement, "insert into " + table + " default values");
                assertDenied(statement, "update " + table + " set " + column + " = " + column);
                assertDenied(statement, "delete from " + table);
                assertDenied(statement, "truncate " + table);
            }
            // v_messages reads one table, so PostgreSQL would write through it if the role were allowed to
            assertDenied(statement, "insert into v_messages (trace_id) values ('x')");
            assertDenied(statement, "update v_messages set text_content = 'x'");
            assertDenied(statement, "delete from v_messages");
            assertDenied(statement, "create table reader_made (id integer)");
            assertDenied(statement, "create view reader_made as select 1 as one");
        }
        assertTrue(tables.containsAll(List.of("sessions", "messages", "scores", "reader_roles")), tables.toString());
        assertEquals(1, dsl.fetchCount(SESSIONS));
    }

    @Test
    void grantsFollowTheViewsThatMigrationsMakeAgainOrAddButNoNewTable()
            throws SQLException
    {
        new ReaderRole(warehouse).grant(reader.name());
        // what a migration changing a column type does (V10), and what a later version adding a view or a table does
        String usageDaily = dsl.fetchValue("select pg_get_viewdef(to_regclass('v_usage_daily'))").toString();
        dsl.execute("drop view v_usage_daily");
        dsl.execute("create view v_usage_daily as " + usageDaily);
        dsl.execute("create view v_added_later as select trace_id from sessions");
        dsl.execute("create table added_later (id integer)");

        warehouse.migrate();

        try (Connection connection = reader.connect();
                Statement statement = connection.createStatement()) {
            assertEquals(0, count(statement, "select count(*) from v_usage_daily"));
            assertEquals(1, count(statement, "select count(*) from v_added_later"));
            assertDenied(statement, "select * from added_later");
        }
    }

    @Test
    void onlyTheOwnerOfTheWarehouseGrants()
    {
        try (TestRole loader = TestRole.create(database, "tracewh_test_loader_")) {
            // a role that loads (it writes every table) but owns no view
            Name schema = DSL.name(dsl.fetchValue("select current_schema()").toString());
            dsl.execute("grant usage on schema {0} to {1}", schema, DSL.name(loader.name()));
            dsl.execute("grant select, insert, update, delete on all tables in schema {0} to {1}", schema, DSL.name(loader.name()));
            try (Warehouse asLoader = Warehouse.open(loader.url())) {
                WarehouseException refused = assertThrows(WarehouseException.class, () -> new ReaderRole(asLoader).grant(reader.name()));
                assertTrue(refused.getMessage().contains("only the warehouse's owner can"), refused.getMessage());
            }
            assertEquals(0, dsl.fetchCount(READER_ROLES), "nothing recorded");
        }
    }

    private static long count(Statement statement, String sql)
            throws SQLException
    {
        try (ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static void assertDenied(Statement statement, String sql)
    {
        SQLException denied = assertThrows(SQLException.class, () -> statement.execute(sql), sql);
        assertEquals(DENIED, denied.getSQLState(), sql + ": " + denied.getMessage());
    }
}
