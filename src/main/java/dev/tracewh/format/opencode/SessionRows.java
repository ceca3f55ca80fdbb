package dev.tracewh.format.opencode;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * One OpenCode session as its store holds it, whichever store: the SQLite tables or the legacy JSON tree. Times are
 * epoch milliseconds, null when missing.
 *
 * @param traceId the session id, or {@code <root id>:<id>} for a child (sub-agent) session
 * @param rootSessionId the id of the session at the top of its {@code parent_id} chain
 * @param parentId the session whose {@code task} call created this one, null for a root
 * @param parentToolCallId the {@code callID} of that call, when the parent's parts name this session
 * @param meta the session's own facts for {@code source_meta}
 */
record SessionRows(String id, String traceId, String rootSessionId, String parentId, String parentToolCallId, String cwd, String projectPath,
                   String title, String version, Long timeCreated, Long timeUpdated, JsonNode revert, List<MessageRow> messages,
                   SortedMap<String, Object> meta)
{
    SessionRows
    {
        requireNonNull(id, "id is null");
        requireNonNull(traceId, "traceId is null");
        requireNonNull(rootSessionId, "rootSessionId is null");
        messages = List.copyOf(messages);
        meta = new TreeMap<>(meta);
    }

    /** A message: its id, creation time and JSON ({@code message.data}), and its parts in order. */
    record MessageRow(String id, Long timeCreated, JsonNode data, List<PartRow> parts)
    {
        MessageRow
        {
            requireNonNull(id, "id is null");
            requireNonNull(data, "data is null");
            parts = List.copyOf(parts);
        }
    }

    /** A part: its id, its JSON ({@code part.data}) and when its row was last written (null in the JSON tree). */
    record PartRow(String id, JsonNode data, Long timeUpdated)
    {
        PartRow
        {
            requireNonNull(id, "id is null");
            requireNonNull(data, "data is null");
        }
    }
}
