package dev.tracewh.usersql;

import org.jooq.Record;
import org.jooq.Result;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** What one statement of the user's gave: its rows, or how many rows it changed. */
public record StatementResult(Optional<Result<Record>> rows, long changedRows)
{
    public StatementResult
    {
        requireNonNull(rows, "rows is null");
    }
}
