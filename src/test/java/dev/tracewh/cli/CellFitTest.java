package dev.tracewh.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CellFitTest
{
    private static final String PATH = "/home/dev/projects/acme/services/billing/.claude/project/session-3f9c2e71.jsonl";

    @Test
    void aLongPathLosesItsMiddleAndKeepsItsFileName()
    {
        assertEquals("/home/…/project/session-3f9c2e71.jsonl", CellFit.fit(PATH, 40));
        assertEquals("/home/dev/…/project/session-3f9c2e71.jsonl", CellFit.fit(PATH, 42));
    }

    @Test
    void aFileNameLongerThanTheColumnKeepsItsEnd()
    {
        assertEquals("…3f9c2e71.jsonl", CellFit.fit(PATH, 15));
    }

    @Test
    void otherTextIsCutAtTheEnd()
    {
        assertEquals("the quick…", CellFit.fit("the quick brown fox", 10));
        assertEquals("a/b and more…", CellFit.fit("a/b and more words", 13));
    }

    @Test
    void widthZeroIsNoLimit()
    {
        assertEquals(PATH, CellFit.fit(PATH, 0));
    }

    @Test
    void aCellIsOneLine()
    {
        assertEquals("one↵two↵three four", CellFit.fit("one\ntwo\r\nthree\tfour", 0));
    }

    @Test
    void textThatFitsStaysAsItIs()
    {
        assertEquals("short", CellFit.fit("short", 5));
    }
}
