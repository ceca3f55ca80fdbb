package dev.tracewh.export;

import org.jooq.Cursor;
import org.jooq.Record;

import java.util.Iterator;
import java.util.function.Function;

/** A jOOQ cursor that can look at its next record without taking it, for merging cursors ordered by trace. */
final class PeekingCursor<R extends Record>
        implements AutoCloseable
{
    private final Cursor<R> cursor;
    private final Iterator<R> iterator;
    private R peeked;

    PeekingCursor(Cursor<R> cursor)
    {
        this.cursor = cursor;
        this.iterator = cursor.iterator();
    }

    R peek()
    {
        if (peeked == null && iterator.hasNext()) {
            peeked = iterator.next();
        }
        return peeked;
    }

    /** True when the next record belongs to {@code traceId}. */
    boolean hasNextFor(String traceId, Function<R, String> traceIdOf)
    {
        R next = peek();
        return next != null && traceId.equals(traceIdOf.apply(next));
    }

    R next()
    {
        R next = peek();
        peeked = null;
        return next;
    }

    @Override
    public void close()
    {
        cursor.close();
    }
}
