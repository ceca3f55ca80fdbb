package dev.tracewh.warehouse;

import dev.tracewh.testing.TestDatabase;
import org.jooq.Record;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag("postgres")
class PostgresViewCommentsTest
        extends ViewCommentsContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.POSTGRESQL;
    }

    @Override
    protected List<Record> catalogRows()
    {
        return dsl.fetch("select c.relname, obj_description(c.oid, 'pg_class'), a.attname, col_description(c.oid, a.attnum) "
                + "from pg_catalog.pg_class c "
                + "join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped "
                + "where c.relnamespace = to_regnamespace(current_schema()) and c.relkind = 'v' and starts_with(c.relname, 'v_') "
                + "order by c.relname, a.attnum");
    }

    @Test
    void everyColumnsCommentIsItsDescriptionInTheDocs()
    {
        Map<String, CatalogView> catalog = catalog();
        ViewDocs.read().forEach((name, view) -> view.columns().forEach((column, description) ->
                assertEquals(description, catalog.get(name).columns().get(column), name + "." + column + "'s comment")));
    }
}
