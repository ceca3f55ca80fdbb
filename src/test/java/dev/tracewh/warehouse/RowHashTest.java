package dev.tracewh.warehouse;

import dev.tracewh.warehouse.schema.tables.records.MessagesRecord;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static dev.tracewh.warehouse.schema.Tables.MESSAGES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class RowHashTest
{
    private static final RowHash.Columns CONTENT_AND_TEXT = RowHash.Columns.allBut(MESSAGES, MESSAGES.TRACE_ID, MESSAGES.ORDINAL, MESSAGES.ROLE,
            MESSAGES.REASONING_CONTENT, MESSAGES.TOOL_CALL_ID, MESSAGES.LINE_NUMBER, MESSAGES.LINE_UUID, MESSAGES.PARENT_UUID, MESSAGES.CREATED_AT,
            MESSAGES.MODEL, MESSAGES.API_MESSAGE_ID, MESSAGES.REQUEST_ID, MESSAGES.IS_META, MESSAGES.IS_COMPACT_SUMMARY, MESSAGES.IS_SIDECHAIN,
            MESSAGES.IS_SYNTHETIC, MESSAGES.ROW_HASH, MESSAGES.FIRST_RUN_ID, MESSAGES.LAST_RUN_ID, MESSAGES.IS_ACTIVE_PATH, MESSAGES.BRANCH);

    @Test
    void equalValuesHashEquallyWhateverTheInstanceAndItsHistory()
    {
        RowHash reused = new RowHash();
        String big = "é".repeat(20_000) + "x".repeat(7);
        reused.of(row("something else", null), CONTENT_AND_TEXT);
        assertEquals(new RowHash().of(row(big, "t"), CONTENT_AND_TEXT), reused.of(row(big, "t"), CONTENT_AND_TEXT));
        assertEquals(32, reused.of(row(big, "t"), CONTENT_AND_TEXT).length());
    }

    @Test
    void everyChangeOfAValueOrOfTheBoundaryBetweenValuesChangesTheHash()
    {
        RowHash hash = new RowHash();
        Set<String> hashes = new HashSet<>();
        String[][] rows = {{"ab", "c"}, {"a", "bc"}, {"abc", ""}, {"abc", null}, {"", "abc"}, {null, "abc"}, {"abd", ""}, {"ab\u0000", "c"}};
        for (String[] values : rows) {
            hashes.add(hash.of(row(values[0], values[1]), CONTENT_AND_TEXT));
        }
        assertEquals(rows.length, hashes.size());
        String long1 = "x".repeat(50_000);
        String long2 = long1.substring(0, 30_000) + "y" + long1.substring(30_001);
        assertNotEquals(hash.of(row(long1, null), CONTENT_AND_TEXT), hash.of(row(long2, null), CONTENT_AND_TEXT), "a change past the first chunk");
    }

    /** Warehouses store these hashes: a different value for the same row would make the next load rewrite every row. */
    @Test
    void hashesAreStableAcrossVersions()
    {
        RowHash hash = new RowHash();
        assertEquals("cfa0f7ddd84c76bc589623161cf526f1", hash.of(row(null, null), CONTENT_AND_TEXT));
        assertEquals("e0632ee72a91b1e78b7d0b2afdd52603", hash.of(row("{\"type\":\"text\"}", "hello, world"), CONTENT_AND_TEXT, "child-1", "child-2"));
        assertEquals("95f7d31756ff98cf0fe2611454f27e5a", hash.of(row("x".repeat(9_000) + "\u00e9\u4e2d\ud83d\ude00", "abc".repeat(3_001)), CONTENT_AND_TEXT));
    }

    @Test
    void extraStringsCount()
    {
        RowHash hash = new RowHash();
        assertNotEquals(hash.of(row("a", "b"), CONTENT_AND_TEXT), hash.of(row("a", "b"), CONTENT_AND_TEXT, "child"));
    }

    private static MessagesRecord row(String content, String text)
    {
        MessagesRecord record = new MessagesRecord();
        record.setContent(content);
        record.setTextContent(text);
        return record;
    }
}
