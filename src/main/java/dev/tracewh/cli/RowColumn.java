package dev.tracewh.cli;

import org.jooq.Field;
import org.jooq.Fields;
import org.jooq.JSON;
import org.jooq.JSONB;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A printed column: its name and whether it holds JSON, which {@code --json} writes as a JSON value rather than a
 * string. JSON columns are those typed JSON (PostgreSQL json and jsonb, H2 JSON), whatever value they hold, and
 * those named like a JSON column of the documented views ({@link #JSON_NAMES}; on H2 they are text) when their
 * text is a JSON object or array.
 */
record RowColumn(String name, boolean typedJson, boolean namedJson)
{
    /** The JSON columns of the documented views (docs/views.md, docs/distill.md). */
    static final Set<String> JSON_NAMES = Set.of("content", "source_meta", "arguments", "message_json", "opening_messages", "closing_messages");

    RowColumn
    {
        requireNonNull(name, "name is null");
    }

    static List<RowColumn> of(Fields fields)
    {
        List<RowColumn> columns = new ArrayList<>();
        for (Field<?> field : fields.fields()) {
            Class<?> type = field.getType();
            String typeName = field.getDataType().getTypeName().toLowerCase(Locale.ROOT);
            boolean typedJson = type == JSON.class || type == JSONB.class || typeName.equals("json") || typeName.equals("jsonb");
            columns.add(new RowColumn(field.getName(), typedJson, JSON_NAMES.contains(field.getName().toLowerCase(Locale.ROOT))));
        }
        return columns;
    }
}
