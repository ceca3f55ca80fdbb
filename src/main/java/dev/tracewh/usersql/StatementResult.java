package dev.tracewh.usersql;

/** What one statement of the user's gave: rows (handed to a {@link UserSqlSession.RowsReader} as they came), or how many rows it changed. */
public record StatementResult(boolean returnedRows, long changedRows)
{
    static StatementResult rows()
    {
        return new StatementResult(true, 0);
    }

    static StatementResult changed(long rows)
    {
        return new StatementResult(false, rows);
    }
}
