package dev.tracewh.warehouse;

/**
 * What writing traces changed, per table. A trace whose rows are all unchanged counts as unchanged and
 * touches nothing; a deleted trace takes its messages, tool calls and usage rows with it. {@code secretFindingsWritten}
 * counts the secret findings inserted or changed: the secrets a load found that the warehouse did not hold as found.
 */
public record WriteCounts(
        int tracesInserted,
        int tracesUpdated,
        int tracesUnchanged,
        int tracesDeleted,
        int messagesInserted,
        int messagesUpdated,
        int messagesDeleted,
        int toolCallsInserted,
        int toolCallsUpdated,
        int toolCallsDeleted,
        int tokenRowsInserted,
        int tokenRowsUpdated,
        int tokenRowsDeleted,
        int secretFindingsWritten)
{
    public static final WriteCounts ZERO = new WriteCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public WriteCounts plus(WriteCounts other)
    {
        return new WriteCounts(
                tracesInserted + other.tracesInserted,
                tracesUpdated + other.tracesUpdated,
                tracesUnchanged + other.tracesUnchanged,
                tracesDeleted + other.tracesDeleted,
                messagesInserted + other.messagesInserted,
                messagesUpdated + other.messagesUpdated,
                messagesDeleted + other.messagesDeleted,
                toolCallsInserted + other.toolCallsInserted,
                toolCallsUpdated + other.toolCallsUpdated,
                toolCallsDeleted + other.toolCallsDeleted,
                tokenRowsInserted + other.tokenRowsInserted,
                tokenRowsUpdated + other.tokenRowsUpdated,
                tokenRowsDeleted + other.tokenRowsDeleted,
                secretFindingsWritten + other.secretFindingsWritten);
    }

    public int rowsChanged()
    {
        return tracesInserted + tracesUpdated + tracesDeleted + messagesInserted + messagesUpdated + messagesDeleted
                + toolCallsInserted + toolCallsUpdated + toolCallsDeleted
                + tokenRowsInserted + tokenRowsUpdated + tokenRowsDeleted + secretFindingsWritten;
    }
}
