package dev.tracewh.cli;

import dev.tracewh.warehouse.WarehouseException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line an error is said in by default: its cause, without the statement H2 and jOOQ quote. */
class ErrorMessageTest
{
    @Test
    void aJooqErrorIsTheDriversCauseWithoutEitherStatement()
    {
        SQLException h2 = new SQLException("Value too long for column \"name\"; SQL statement:\ninsert into scores (name) values (?) [22001-252]", "22001", 22001);
        DataAccessException jooq = new DataAccessException("SQL [insert into scores (name) values (?)]; " + h2.getMessage(), h2);

        ErrorMessage message = ErrorMessage.of(jooq);

        assertEquals("Value too long for column \"name\"", message.text());
        assertTrue(message.shortened());
    }

    @Test
    void aOneLineMessageIsKeptWhole()
    {
        ErrorMessage message = ErrorMessage.of(new WarehouseException("cannot open the warehouse at jdbc:postgresql://db/w: Connection refused", null));

        assertEquals("cannot open the warehouse at jdbc:postgresql://db/w: Connection refused", message.text());
        assertFalse(message.shortened());
    }

    @Test
    void aFullDiskIsNamedWhateverStatementItStopped()
    {
        IOException full = new IOException("No space left on device");
        WarehouseException error = new WarehouseException("cannot migrate the warehouse: Unable to lock table \"flyway_schema_history\"",
                new RuntimeException("Writing to a file failed", full));

        ErrorMessage message = ErrorMessage.of(error);

        assertTrue(message.text().startsWith("no space left on the disk: cannot migrate the warehouse"), message.text());
    }

    @Test
    void aReadOnlyH2DatabaseIsSaidToBeReadOnly()
    {
        ErrorMessage message = ErrorMessage.of(new WarehouseException("cannot migrate",
                new SQLException("The database is read only; SQL statement:\ncreate table t (a int) [90097-252]", "90097", 90097)));

        assertTrue(message.text().startsWith("the warehouse cannot be written: its H2 file or folder is read-only"), message.text());
        assertFalse(message.text().contains("create table"), message.text());
    }
}
