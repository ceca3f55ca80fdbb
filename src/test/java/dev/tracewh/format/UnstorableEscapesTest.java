package dev.tracewh.format;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnstorableEscapesTest
{
    @Test
    void replacesNulAndLoneSurrogatesButNotPairsOrEscapedBackslashes()
    {
        assertReplaced("{\"a\":\"x\\u0000y\"}", "{\"a\":\"x\\ufffdy\"}", 1);
        assertReplaced("{\"a\":\"\\ud83d end\"}", "{\"a\":\"\\ufffd end\"}", 1);
        assertReplaced("{\"a\":\"\\ude00 end\"}", "{\"a\":\"\\ufffd end\"}", 1);
        assertReplaced("{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\\ud83d\\ude00\"}", 0);
        assertReplaced("{\"a\":\"\\\\u0000 is text\"}", "{\"a\":\"\\\\u0000 is text\"}", 0);
        assertReplaced("{\"a\":\"\\u0000\\u0000\\ud800\"}", "{\"a\":\"\\ufffd\\ufffd\\ufffd\"}", 3);
        assertReplaced("{\"a\":\"\\u00e9 \\u000a\"}", "{\"a\":\"\\u00e9 \\u000a\"}", 0);
        assertReplaced("{\"a\":\"\\\\\\u0000 after an escaped backslash\"}", "{\"a\":\"\\\\\\ufffd after an escaped backslash\"}", 1);
        assertReplaced("{\"a\":\"\\\\\\\\u0000 is text too\"}", "{\"a\":\"\\\\\\\\u0000 is text too\"}", 0);
        assertReplaced("{\"long\":\"a line with \\n and \\\" escapes before \\u0000, then a truncated \\u00", "{\"long\":\"a line with \\n and \\\" escapes before \\ufffd, then a truncated \\u00", 1);
    }

    private static void assertReplaced(String json, String expected, int count)
    {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(count, UnstorableEscapes.count(bytes, 0, bytes.length), json);
        assertEquals(count, UnstorableEscapes.replace(bytes, 0, bytes.length), json);
        assertEquals(expected, new String(bytes, StandardCharsets.UTF_8));
    }
}
