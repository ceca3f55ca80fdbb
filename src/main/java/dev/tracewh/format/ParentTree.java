package dev.tracewh.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The tree that a session's entries form through parent links (Claude Code's {@code uuid}/{@code parentUuid}, Pi's
 * {@code id}/{@code parentId}), its active path and the numbers of its abandoned branches. A session that was rewound
 * keeps the abandoned entries and continues from an earlier one; the active path (branch 0) is the chain from the
 * entry a format calls the conversation's last back to its root. Every other entry is on an abandoned branch: all
 * entries below one entry where the conversation left the path share a number, numbered from 1 in the order
 * {@link #branch} first meets them (file order, as formats ask).
 */
public final class ParentTree
{
    /** Parent of each entry, null for a root; the first entry wins when an id repeats. */
    private final Map<String, String> parents = new HashMap<>();
    private final Set<String> path = new HashSet<>();
    /** The first entry of each branch, memoized for the entries numbered. */
    private final Map<String, String> branchStart = new HashMap<>();
    private final Map<String, Integer> numbers = new HashMap<>();

    /** Entry {@code id} under {@code parentId} (null: a root); a repeated id keeps its first parent. */
    public void link(String id, String parentId)
    {
        parents.putIfAbsent(requireNonNull(id, "id is null"), parentId);
    }

    /** Entry {@code id} continues from {@code parentId}, whatever its own line said. */
    public void relink(String id, String parentId)
    {
        parents.put(requireNonNull(id, "id is null"), parentId);
    }

    public boolean contains(String id)
    {
        return parents.containsKey(id);
    }

    /** The parent of {@code id}, null for a root or an entry the tree does not hold. */
    public String parent(String id)
    {
        return parents.get(id);
    }

    /**
     * Makes the chain from {@code leaf} up to its root the active path: it ends at a root, at a parent the session
     * does not hold (a resumed or sliced file) or where a chain of links comes back on itself.
     */
    public void activePathFrom(String leaf)
    {
        for (String id = leaf; id != null && path.add(id); id = parents.get(id)) {
            // up to the root
        }
    }

    /** Entries that are on the active path beside the chain of links (a compaction's kept tail, say). */
    public void addToPath(Collection<String> ids)
    {
        path.addAll(ids);
    }

    public boolean onPath(String id)
    {
        return path.contains(id);
    }

    /**
     * 0 for an entry on the active path; else the number of its branch, named by its highest ancestor off the path
     * (or its root): a new branch takes the next number.
     */
    public int branch(String id)
    {
        if (path.contains(id)) {
            return 0;
        }
        return numbers.computeIfAbsent(branchStart(id), ignored -> numbers.size() + 1);
    }

    private String branchStart(String id)
    {
        List<String> walked = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String start = id;
        for (String current = id; current != null && !path.contains(current) && seen.add(current); current = parents.get(current)) {
            String known = branchStart.get(current);
            if (known != null) {
                start = known;
                break;
            }
            walked.add(current);
            start = current;
        }
        for (String each : walked) {
            branchStart.put(each, start);
        }
        return start;
    }
}
