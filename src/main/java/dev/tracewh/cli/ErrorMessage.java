package dev.tracewh.cli;

import dev.tracewh.load.LoadLockedException;
import dev.tracewh.warehouse.WarehouseException;

import java.nio.file.AccessDeniedException;
import java.nio.file.ReadOnlyFileSystemException;
import java.sql.SQLException;

import static java.util.Objects.requireNonNull;

/**
 * An error said in one line that names its cause, as printed by default: the messages of jOOQ, H2 and Flyway quote
 * whole generated SQL statements and run over many lines ({@code --verbose} prints them whole).
 *
 * @param shortened whether something of the error was left out
 */
record ErrorMessage(String text, boolean shortened)
{
    /** H2 appends the statement to its messages after this. */
    private static final String H2_STATEMENT = "; SQL statement:";
    /** jOOQ's DataAccessException starts with the statement: {@code SQL [insert ...]; cause}. */
    private static final String JOOQ_STATEMENT = "SQL [";
    /** H2's error codes for a database it cannot write. */
    private static final int H2_READ_ONLY = 90097;
    private static final int H2_FILE_CREATION_FAILED = 90062;

    ErrorMessage
    {
        requireNonNull(text, "text is null");
    }

    static ErrorMessage of(Throwable error)
    {
        if (causedBy(error, "No space left on device")) {
            // H2 and Flyway report a full disk as whatever statement it stopped (a lock, a rollback)
            return new ErrorMessage("no space left on the disk: " + shorten(error.getMessage()).text(), true);
        }
        SQLException sql = sqlCause(error);
        if (sql != null && (sql.getErrorCode() == H2_READ_ONLY || sql.getErrorCode() == H2_FILE_CREATION_FAILED || deniedWriting(error))) {
            return new ErrorMessage("the warehouse cannot be written: its H2 file or folder is read-only (file permissions, a read-only disk "
                    + "or ACCESS_MODE_DATA=r): " + shorten(sql.getMessage()).text(), true);
        }
        if (error instanceof WarehouseException || error instanceof UsageException || error instanceof LoadLockedException) {
            return shorten(error.getMessage());
        }
        if (sql != null && error.getClass().getName().startsWith("org.jooq.")) {
            // the driver's message names the cause; jOOQ's repeats the statement before it
            ErrorMessage cause = shorten(sql.getMessage());
            return new ErrorMessage(cause.text(), true);
        }
        String message = error.getMessage();
        if (message == null) {
            return new ErrorMessage(error.getClass().getName(), false);
        }
        ErrorMessage shortened = shorten(message);
        return new ErrorMessage(error.getClass().getSimpleName() + ": " + shortened.text(), shortened.shortened());
    }

    /** The first line of {@code message}, without a statement H2 or jOOQ quote in it. */
    static ErrorMessage shorten(String message)
    {
        if (message == null) {
            return new ErrorMessage("", false);
        }
        String text = message;
        int statement = text.indexOf(H2_STATEMENT);
        if (statement >= 0) {
            text = text.substring(0, statement);
        }
        if (text.startsWith(JOOQ_STATEMENT)) {
            int cause = text.indexOf("]; ");
            text = cause >= 0 ? text.substring(cause + 3) : text;
        }
        int lineEnd = text.indexOf('\n');
        if (lineEnd >= 0) {
            text = text.substring(0, lineEnd);
        }
        text = text.strip();
        return new ErrorMessage(text, !text.equals(message.strip()));
    }

    /** The file system refused a write somewhere below the error (H2 wraps it in its own IO exception). */
    private static boolean deniedWriting(Throwable error)
    {
        for (Throwable each = error; each != null && each.getCause() != each; each = each.getCause()) {
            if (each instanceof AccessDeniedException || each instanceof ReadOnlyFileSystemException) {
                return true;
            }
        }
        return causedBy(error, "Permission denied") || causedBy(error, "Read-only file system");
    }

    /** Whether the operating system's {@code reason} is in the message of the error or of one of its causes. */
    private static boolean causedBy(Throwable error, String reason)
    {
        for (Throwable each = error; each != null && each.getCause() != each; each = each.getCause()) {
            if (String.valueOf(each.getMessage()).contains(reason)) {
                return true;
            }
        }
        return false;
    }

    private static SQLException sqlCause(Throwable error)
    {
        for (Throwable each = error; each != null; each = each.getCause()) {
            if (each instanceof SQLException sql) {
                return sql;
            }
            if (each.getCause() == each) {
                return null;
            }
        }
        return null;
    }
}
