package dev.tracewh.format;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tree both Claude Code and Pi walk: the path from a leaf, and branch numbers in the order they are asked for. */
class ParentTreeTest
{
    @Test
    void branchesAreNumberedByWhereTheyLeftThePathInTheOrderAsked()
    {
        ParentTree tree = new ParentTree();
        tree.link("r", null);
        tree.link("a", "r");
        tree.link("a1", "a");
        tree.link("a2", "a");
        tree.link("b", "r");
        tree.link("c", "r");
        tree.link("d", "c");
        tree.activePathFrom("d");
        assertEquals(List.of(0, 1, 2, 2, 0), List.of(tree.branch("r"), tree.branch("b"), tree.branch("a2"), tree.branch("a"), tree.branch("d")),
                "b, asked first, is 1; a and its fork a2 share the next");
    }

    @Test
    void thePathEndsAtAMissingParentOrACycleAndAnIdKeepsItsFirstParent()
    {
        ParentTree tree = new ParentTree();
        tree.link("x", "y");
        tree.link("y", "x");
        tree.link("y", "z");
        tree.link("leaf", "x");
        tree.activePathFrom("leaf");
        assertTrue(tree.onPath("x") && tree.onPath("y"));
        assertFalse(tree.onPath("z"), "y's second line does not move it");

        ParentTree sliced = new ParentTree();
        sliced.link("m", "gone");
        sliced.link("n", "m");
        sliced.link("o", "gone");
        sliced.activePathFrom("n");
        assertEquals(1, sliced.branch("o"));
        sliced.relink("o", "n");
        assertEquals("n", sliced.parent("o"));
    }
}
