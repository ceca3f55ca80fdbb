package dev.tracewh.warehouse;

import dev.tracewh.testing.WarehouseContract;
import org.jooq.Record;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The documentation (docs/views.md, docs/distill.md) and the database describe the views alike: every v_* view of the
 * schema is documented with exactly its columns, in order, and its SQL comment is the documentation's description,
 * so BI tools and psql's \d+ show the same words.
 */
abstract class ViewCommentsContract
        extends WarehouseContract
{
    /**
     * The v_* views of the warehouse's schema by name, from the database's catalog. The query returns one row per
     * column in order, with the view's name, its comment, the column's name and the column's comment.
     */
    protected abstract List<Record> catalogRows();

    /** A view as the catalog describes it; comments are null where there are none. */
    protected record CatalogView(String comment, SequencedMap<String, String> columns) {}

    @Test
    void everyViewIsDocumentedWithItsColumnsInOrder()
    {
        Map<String, ViewDocs> docs = ViewDocs.read();
        Map<String, CatalogView> catalog = catalog();
        assertEquals(new TreeSet<>(docs.keySet()), new TreeSet<>(catalog.keySet()), "the documented views are the views");
        docs.forEach((name, view) ->
                assertEquals(List.copyOf(view.columns().keySet()), List.copyOf(catalog.get(name).columns().keySet()), name + "'s columns"));
    }

    @Test
    void everyViewsCommentIsItsDescriptionInTheDocs()
    {
        Map<String, CatalogView> catalog = catalog();
        ViewDocs.read().forEach((name, view) -> assertEquals(view.description(), catalog.get(name).comment(), name + "'s comment"));
    }

    protected Map<String, CatalogView> catalog()
    {
        Map<String, CatalogView> views = new LinkedHashMap<>();
        for (Record row : catalogRows()) {
            CatalogView view = views.computeIfAbsent(row.get(0, String.class), name -> new CatalogView(row.get(1, String.class), new LinkedHashMap<>()));
            view.columns().put(row.get(2, String.class), row.get(3, String.class));
        }
        return views;
    }
}
