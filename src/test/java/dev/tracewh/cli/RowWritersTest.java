package dev.tracewh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three layouts of {@link ResultOutput}, over rows made in memory. */
class RowWritersTest
{
    private static final DSLContext DSL_CONTEXT = DSL.using(SQLDialect.H2);
    private static final Field<String> NAME = DSL.field("name", SQLDataType.VARCHAR);
    private static final Field<BigDecimal> COST = DSL.field("cost", SQLDataType.NUMERIC);
    private static final Field<String> CONTENT = DSL.field("content", SQLDataType.VARCHAR);
    private static final Field<JSONB> META = DSL.field("meta", SQLDataType.JSONB);

    @Test
    void csvQuotesWhatRfc4180AsksAndKeepsNullApartFromEmpty()
            throws IOException
    {
        Result<Record> rows = rows(List.of(NAME, COST), new Object[] {"a,b", new BigDecimal("0E-20")}, new Object[] {"say \"hi\"\nbye", null},
                new Object[] {"", new BigDecimal("2.50")}, new Object[] {" padded", BigDecimal.ONE});
        assertEquals("""
                name,cost
                "a,b",0
                "say ""hi""
                bye",
                "",2.5
                " padded",1
                """, print(rows, "--csv"));
        assertTrue(print(rows, "--csv", "--null", "NULL").contains("bye\",NULL\n"));
    }

    @Test
    void jsonWritesJsonColumnsAsJsonAndNumbersPlain()
            throws IOException
    {
        Result<Record> rows = rows(List.of(NAME, COST, CONTENT, META),
                new Object[] {"x", new BigDecimal("1.500000000"), "[{\"type\":\"text\",\"text\":\"hi\"}]", JSONB.valueOf("{\"a\":[1,2]}")},
                new Object[] {null, new BigDecimal("1E+3"), "plain text, no JSON", JSONB.valueOf("\"just a string\"")},
                new Object[] {"y", null, "42", null});
        JsonNode json = new ObjectMapper().readTree(print(rows, "--json"));
        assertEquals(3, json.size());
        assertEquals("hi", json.at("/0/content/0/text").asText(), "a named JSON column holding an array is JSON");
        assertEquals(2, json.at("/0/meta/a/1").asInt(), "a jsonb column is JSON");
        assertTrue(json.at("/0/cost").isNumber());
        assertEquals("1.5", json.at("/0/cost").decimalValue().toPlainString());
        assertEquals("plain text, no JSON", json.at("/1/content").asText(), "text that is no JSON stays a string");
        assertTrue(json.at("/1/meta").isTextual(), "a jsonb string is a JSON string");
        assertTrue(json.at("/1/name").isNull());
        assertTrue(print(rows, "--json").contains("\"cost\":1000,"), "no exponent");
        assertTrue(json.at("/2/content").isTextual(), "a named JSON column holding a scalar is a string");
    }

    @Test
    void emptyJsonIsAnEmptyArray()
            throws IOException
    {
        assertEquals(0, new ObjectMapper().readTree(print(rows(List.of(NAME)), "--json")).size());
    }

    @Test
    void tablesAlignNumbersRightAndPrintNullAsEmptyOrAsAsked()
            throws IOException
    {
        Result<Record> rows = rows(List.of(NAME, COST), new Object[] {"alpha", new BigDecimal("12.50")}, new Object[] {null, new BigDecimal("3")});
        assertEquals("""
                name   cost
                -----  ----
                alpha  12.5
                          3
                """, print(rows));
        assertTrue(print(rows, "--null", "NULL").contains("\nNULL      3\n"));
    }

    @Test
    void tablesShortenToMaxWidthAndZeroIsNoLimit()
            throws IOException
    {
        String path = "/home/dev/projects/acme/services/billing/.claude/project/session-3f9c2e71.jsonl";
        Result<Record> rows = rows(List.of(NAME), new Object[] {path});
        assertTrue(print(rows, "--max-width", "40").contains("/home/…/project/session-3f9c2e71.jsonl\n"));
        assertTrue(print(rows, "--max-width", "0").contains(path + "\n"));
        assertTrue(print(rows, "--csv", "--max-width", "40").contains(path + "\n"), "CSV is never shortened");
    }

    @Test
    void aLaterPageMayWidenAColumn()
            throws IOException
    {
        Object[][] values = new Object[TableRows.PAGE_ROWS + 1][];
        for (int i = 0; i < TableRows.PAGE_ROWS; i++) {
            values[i] = new Object[] {"a", BigDecimal.ONE};
        }
        values[TableRows.PAGE_ROWS] = new Object[] {"a much longer name", BigDecimal.TEN};
        String[] lines = print(rows(List.of(NAME, COST), values)).split("\n");
        assertEquals(TableRows.PAGE_ROWS + 3, lines.length);
        assertEquals("a        1", lines[2], "the first page is as wide as its own rows");
        assertEquals("a much longer name    10", lines[lines.length - 1]);
    }

    @Test
    void conflictingOptionsAreUsageErrors()
    {
        Result<Record> rows = rows(List.of(NAME));
        assertThrows(UsageException.class, () -> print(rows, "--csv", "--json"));
        assertThrows(UsageException.class, () -> print(rows, "--max-width", "-1"));
    }

    private static Result<Record> rows(List<Field<?>> fields, Object[]... values)
    {
        Result<Record> result = DSL_CONTEXT.newResult(fields);
        for (Object[] row : values) {
            Record record = DSL_CONTEXT.newRecord(fields.toArray(Field[]::new));
            record.fromArray(row);
            result.add(record);
        }
        return result;
    }

    private static String print(Result<Record> rows, String... options)
            throws IOException
    {
        ResultOutput output = new ResultOutput();
        new CommandLine(new Options(output)).parseArgs(options);
        StringWriter text = new StringWriter();
        output.print(rows, rows, new PrintWriter(text));
        return text.toString();
    }

    @CommandLine.Command
    private record Options(@CommandLine.Mixin ResultOutput output) {}
}
