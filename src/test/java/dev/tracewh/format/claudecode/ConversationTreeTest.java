package dev.tracewh.format.claudecode;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The edge cases of placing messages that no real transcript here shows. */
class ConversationTreeTest
{
    @Test
    void linesThatNameNoParentsAreOnePath()
    {
        ConversationTree tree = new ConversationTree();
        for (int line = 0; line < 3; line++) {
            tree.line("line-" + line, null);
            tree.message("line-" + line, line, false, false);
        }
        assertArrayEquals(new int[] {0, 0, 0}, tree.branches(3, List.of(), false));
    }

    @Test
    void aCycleOrAParentTheFileDoesNotHoldEndsThePath()
    {
        ConversationTree tree = new ConversationTree();
        tree.line("a", "missing");
        tree.line("b", "c");
        tree.line("c", "b");
        tree.line("d", "c");
        List.of("a", "b", "c", "d").forEach(line -> tree.message(line, "abcd".indexOf(line), false, false));
        // d's chain loops through c and b; a hangs from a parent the file does not hold
        assertArrayEquals(new int[] {1, 0, 0, 0}, tree.branches(4, List.of(), false));
    }

    @Test
    void aSideLineNeverEndsTheConversation()
    {
        ConversationTree tree = new ConversationTree();
        tree.line("prompt", null);
        tree.line("answer", "prompt");
        tree.line("retry", null);
        tree.line("bash", "answer");
        tree.message("prompt", 0, false, false);
        tree.message("answer", 1, false, false);
        tree.message("retry", 2, false, false);
        tree.message("bash", 3, true, false);
        // the last real message is the retry, a root of its own: the first exchange is abandoned, the ! line with it
        assertArrayEquals(new int[] {1, 1, 0, 1}, tree.branches(4, List.of(), false));
    }
}
