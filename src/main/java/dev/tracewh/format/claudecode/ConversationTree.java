package dev.tracewh.format.claudecode;

import dev.tracewh.format.ParentTree;
import dev.tracewh.model.ToolCall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tree that a transcript's lines form through {@code uuid}/{@code parentUuid}, and the branch of each message in
 * it. After a rewind (Esc-Esc, {@code /rewind}, an edited prompt) the file keeps the abandoned lines and continues
 * from an earlier line, so messages in file order are not the conversation the model saw.
 * <p>
 * The <em>active path</em> (branch 0) is the chain from the conversation's last message back to its root, Data
 * Designer's rule for Pi sessions, with three refinements that keep the real conversation from looking abandoned:
 * <ul>
 *   <li>A {@code compact_boundary} has no parent but a {@code logicalParentUuid}: compaction continues the path. A
 *       compaction that keeps the conversation's tail ({@code compactMetadata.preservedSegment}) re-parents those
 *       lines under its summary, so it continues from the line before that tail, and the tail is on the path with
 *       the summary.</li>
 *   <li>One API response is one unit: when one of its lines, calls or results is on the path, all of them are
 *       (parallel calls and their results are siblings in the tree, not forks).</li>
 *   <li>Side lines (meta lines, slash commands, {@code !} shell mode; 1.0.x parents them to the caveat line) never
 *       end the conversation, and a side chain hanging off the path is on it: it is no rewind.</li>
 * </ul>
 * Every other message is on an abandoned branch, numbered from 1 in file order: all messages below one line where
 * the conversation left the path share its number. A file whose lines name no parents (no uuids, or lines written by
 * a tool that leaves {@code parentUuid} out) is one path.
 */
final class ConversationTree
{
    private final ParentTree tree = new ParentTree();
    /** Lines that hold messages, in file order, with their messages' ordinals. */
    private final Map<String, List<Integer>> messagesOfLine = new LinkedHashMap<>();
    private final Set<String> sideLines = new HashSet<>();
    /** Lines of a sub-agent that 1.0.x wrote inline in the main transcript ({@code isSidechain}). */
    private final Set<String> sidechainLines = new HashSet<>();
    /** Compactions that kept the conversation's tail: the boundary continues from the line before the tail's head. */
    private final Map<String, String> boundaryOfPreservedHead = new HashMap<>();
    /** The lines a compaction kept, by the line they were re-parented under. */
    private final Map<String, List<String>> preservedByAnchor = new HashMap<>();
    /** Whether any line names its parent: without links there is no tree, only the file's order. */
    private boolean linked;

    /** A line with a uuid; {@code parentUuid} is null for a root. */
    void line(String uuid, String parentUuid)
    {
        if (uuid != null) {
            tree.link(uuid, parentUuid);
            linked |= parentUuid != null;
        }
    }

    /**
     * A {@code compact_boundary} that kept the lines {@code preserved} (from {@code headUuid} on) under
     * {@code anchorUuid}, its summary; its parent is then the head's parent, whatever it said.
     */
    void preservedTail(String boundaryUuid, String headUuid, String anchorUuid, List<String> preserved)
    {
        if (boundaryUuid != null && headUuid != null) {
            boundaryOfPreservedHead.put(headUuid, boundaryUuid);
        }
        if (anchorUuid != null && !preserved.isEmpty()) {
            preservedByAnchor.computeIfAbsent(anchorUuid, ignored -> new ArrayList<>()).addAll(preserved);
        }
    }

    /** Message {@code ordinal} holds (part of) line {@code uuid}. */
    void message(String uuid, int ordinal, boolean sideLine, boolean sidechain)
    {
        if (uuid == null) {
            return;
        }
        messagesOfLine.computeIfAbsent(uuid, ignored -> new ArrayList<>(1)).add(ordinal);
        if (sideLine) {
            sideLines.add(uuid);
        }
        if (sidechain) {
            sidechainLines.add(uuid);
        }
    }

    /**
     * The branch of each of {@code messageCount} messages, 0 for the active path. {@code toolCalls} tie a response
     * to its results; a main transcript's inline sub-agent lines are never its path.
     */
    int[] branches(int messageCount, List<ToolCall> toolCalls, boolean isSidechain)
    {
        int[] branches = new int[messageCount];
        String leaf = leaf(isSidechain);
        if (leaf == null || !linked) {
            return branches;
        }
        boundaryOfPreservedHead.forEach((head, boundary) -> {
            if (tree.contains(head)) {
                tree.relink(boundary, tree.parent(head));
            }
        });
        tree.activePathFrom(leaf);
        preservedByAnchor.forEach((anchor, preserved) -> {
            if (tree.onPath(anchor)) {
                tree.addToPath(preserved);
            }
        });
        boolean[] active = new boolean[messageCount];
        messagesOfLine.forEach((line, ordinals) -> {
            if (tree.onPath(line) || sideLines.contains(line) && hangsOffPathOrRoot(line)) {
                ordinals.forEach(ordinal -> active[ordinal] = true);
            }
        });
        for (ToolCall call : toolCalls) {
            if (call.resultOrdinal() != null && active[call.resultOrdinal()]) {
                active[call.messageOrdinal()] = true;
            }
        }
        for (ToolCall call : toolCalls) {
            if (call.resultOrdinal() != null && active[call.messageOrdinal()]) {
                active[call.resultOrdinal()] = true;
            }
        }
        numberAbandoned(branches, active);
        return branches;
    }

    /** The last line holding a message that is no side line (and no inline sub-agent line of a main transcript). */
    private String leaf(boolean isSidechain)
    {
        String leaf = null;
        for (String line : messagesOfLine.keySet()) {
            if (!sideLines.contains(line) && (isSidechain || !sidechainLines.contains(line))) {
                leaf = line;
            }
        }
        return leaf;
    }

    /** Whether the side line's own chain of side and non-message lines leads to the path or to a root. */
    private boolean hangsOffPathOrRoot(String sideLine)
    {
        Set<String> seen = new HashSet<>();
        for (String line = tree.parent(sideLine); line != null && seen.add(line); line = tree.parent(line)) {
            if (tree.onPath(line)) {
                return true;
            }
            if (messagesOfLine.containsKey(line) && !sideLines.contains(line)) {
                return false;
            }
        }
        return true;
    }

    /** Numbers the messages off the path, in ordinal order; a message's line names its branch. */
    private void numberAbandoned(int[] branches, boolean[] active)
    {
        String[] lineOfMessage = new String[branches.length];
        messagesOfLine.forEach((line, ordinals) -> ordinals.forEach(ordinal -> {
            if (lineOfMessage[ordinal] == null) {
                lineOfMessage[ordinal] = line;
            }
        }));
        for (int ordinal = 0; ordinal < branches.length; ordinal++) {
            if (!active[ordinal] && lineOfMessage[ordinal] != null) {
                branches[ordinal] = tree.branch(lineOfMessage[ordinal]);
            }
        }
    }
}
