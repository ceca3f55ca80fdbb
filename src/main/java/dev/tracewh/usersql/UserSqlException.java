package dev.tracewh.usersql;

/**
 * SQL the user wrote is refused: it is not one statement or one condition, or it would change the warehouse (or
 * reach past it) where only reading was asked for. The message is meant for the user.
 */
public final class UserSqlException
        extends RuntimeException
{
    public UserSqlException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
