package dev.tracewh.usersql;

import org.jooq.Condition;
import org.jooq.SQLDialect;
import org.jooq.conf.ParseUnknownFunctions;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.ParserException;

import static java.util.Objects.requireNonNull;

/**
 * One boolean condition the user wrote ({@code --where}), parsed by jOOQ's parser into a condition tree that
 * queries embed as a tree: the text is never spliced into SQL, so it cannot close the query or add a statement
 * ({@code true); create table injected(x int); select (1} is refused), and jOOQ renders the tree for each database.
 * The parser refuses functions it does not know, which keeps H2's FILE_READ, FILE_WRITE and CSVWRITE and
 * PostgreSQL's pg_read_file and lo_export out of conditions.
 */
public record UserCondition(String text, Condition condition)
{
    public UserCondition
    {
        requireNonNull(text, "text is null");
        requireNonNull(condition, "condition is null");
    }

    /** Parses {@code text} as written for {@code dialect}; a {@link UserSqlException} says why it is not one condition. */
    public static UserCondition parse(String text, SQLDialect dialect)
    {
        requireNonNull(text, "text is null");
        requireNonNull(dialect, "dialect is null");
        Settings settings = new Settings()
                .withParseDialect(dialect)
                .withParseUnknownFunctions(ParseUnknownFunctions.FAIL);
        try {
            return new UserCondition(text, DSL.using(dialect, settings).parser().parseCondition(text));
        }
        catch (ParserException e) {
            throw new UserSqlException("not one SQL condition: " + e.getMessage(), e);
        }
    }
}
