package dev.tracewh.distill;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CsvReaderTest
{
    @Test
    void readsQuotedFieldsLineBreaksAndLineNumbers()
            throws IOException
    {
        assertEquals(List.of(
                        new CsvReader.CsvRecord(1, List.of("a", "b", "c")),
                        new CsvReader.CsvRecord(2, List.of("1", "x, \"y\"", "")),
                        new CsvReader.CsvRecord(3, List.of("2", "two\r\nlines", "z")),
                        new CsvReader.CsvRecord(6, List.of("3", "", "last"))),
                read("\uFEFFa,b,c\r\n1,\"x, \"\"y\"\"\",\n2,\"two\r\nlines\",z\r\n\n3,,last"));
    }

    @Test
    void unclosedQuoteFailsWithItsLine()
    {
        IOException failure = assertThrows(IOException.class, () -> read("a\n\"open,b\n"));
        assertEquals("line 2: a quoted field is not closed before the end of the file", failure.getMessage());
    }

    private static List<CsvReader.CsvRecord> read(String text)
            throws IOException
    {
        CsvReader reader = new CsvReader(new StringReader(text));
        List<CsvReader.CsvRecord> records = new ArrayList<>();
        for (CsvReader.CsvRecord record = reader.next(); record != null; record = reader.next()) {
            records.add(record);
        }
        return records;
    }
}
