package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class H2ViewCommentsTest
        extends ViewCommentsContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }

    @Override
    protected List<Record> catalogRows()
    {
        return dsl.fetch("select t.table_name, t.remarks, c.column_name, c.remarks "
                + "from information_schema.tables t "
                + "join information_schema.columns c on c.table_schema = t.table_schema and c.table_name = t.table_name "
                + "where t.table_schema = current_schema and t.table_type = 'VIEW' and t.table_name like 'v\\_%' "
                + "order by t.table_name, c.ordinal_position");
    }

    /** Why only PostgreSQL's views have column comments: when an H2 upgrade accepts them, this fails as a reminder to add them. */
    @Test
    void h2RefusesCommentsOnTheColumnsOfViews()
    {
        DataAccessException refused = assertThrows(DataAccessException.class, () -> dsl.execute("comment on column v_traces.trace_id is 'x'"));
        assertTrue(refused.getMessage().contains("Feature not supported"), refused.getMessage());
    }
}
