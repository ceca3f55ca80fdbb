package dev.tracewh.export;

import org.jooq.Cursor;
import org.jooq.Record;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A lazy jOOQ cursor ordered by trace id, read one trace at a time: merging several such cursors (sessions,
 * messages, tool calls) streams a whole warehouse with one trace in memory.
 */
public final class TraceCursor<R extends Record>
        implements AutoCloseable
{
    private final Cursor<R> cursor;
    private final Iterator<R> iterator;
    private final Function<R, String> traceIdOf;
    private R peeked;

    public TraceCursor(Cursor<R> cursor, Function<R, String> traceIdOf)
    {
        this.cursor = requireNonNull(cursor, "cursor is null");
        this.iterator = cursor.iterator();
        this.traceIdOf = requireNonNull(traceIdOf, "traceIdOf is null");
    }

    /** The records of {@code traceId} at the cursor's position, in cursor order (none when the cursor is past or before them). */
    public List<R> nextFor(String traceId)
    {
        List<R> records = new ArrayList<>();
        while (peek() != null && traceId.equals(traceIdOf.apply(peeked))) {
            records.add(peeked);
            peeked = null;
        }
        return records;
    }

    private R peek()
    {
        if (peeked == null && iterator.hasNext()) {
            peeked = iterator.next();
        }
        return peeked;
    }

    @Override
    public void close()
    {
        cursor.close();
    }
}
