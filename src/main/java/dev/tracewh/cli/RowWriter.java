package dev.tracewh.cli;

import java.io.IOException;
import java.util.List;

/** Prints rows as they come, one at a time: the columns, each row, then the end. */
interface RowWriter
{
    void start(List<RowColumn> columns)
            throws IOException;

    /** One row's values, one per column, as jOOQ read them. */
    void row(Object[] values)
            throws IOException;

    void end()
            throws IOException;
}
