package dev.tracewh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.load.LoadReport;

import java.util.Locale;

/** The one-line JSON metrics of {@code load --json}. */
final class LoadSummaryJson
{
    private LoadSummaryJson() {}

    /**
     * A failed load's line: {@code runId} is null when it failed before its run was recorded; {@code status} is
     * {@code failed}, {@code interrupted} or {@code nothing_found}.
     */
    static String failure(Long runId, String status, int exitCode, String error)
    {
        ObjectNode node = new ObjectMapper().createObjectNode();
        if (runId != null) {
            node.put("run_id", runId);
        }
        node.put("status", status);
        node.put("exit_code", exitCode);
        node.put("error", error);
        return node.toString();
    }

    /** A finished load's metrics; {@code problem} (or null) says why it still exits with code 1, as when it found no files. */
    static String of(LoadReport report, String database, String problem)
    {
        ObjectNode node = new ObjectMapper().createObjectNode();
        var files = report.files();
        var rows = report.rows();
        node.put("run_id", report.runId());
        node.put("status", report.status().name().toLowerCase(Locale.ROOT));
        node.put("database", database);
        node.put("seconds", Math.round(report.seconds() * 1000) / 1000.0);
        node.put("bytes_read", files.bytesRead());
        node.put("mb_per_second", Math.round(report.megabytesPerSecond() * 10) / 10.0);
        node.put("files_scanned", files.scanned());
        node.put("files_loaded", files.loaded());
        node.put("files_unchanged", files.unchanged());
        node.put("files_failed", files.failed());
        node.put("files_missing", files.missing());
        node.put("errors", files.errors());
        node.put("traces", report.traces());
        node.put("messages", report.messages());
        node.put("tool_calls", report.toolCalls());
        node.put("tokens", report.tokens());
        node.put("traces_inserted", rows.tracesInserted());
        node.put("traces_updated", rows.tracesUpdated());
        node.put("traces_unchanged", rows.tracesUnchanged());
        node.put("traces_deleted", rows.tracesDeleted());
        node.put("messages_inserted", rows.messagesInserted());
        node.put("messages_updated", rows.messagesUpdated());
        node.put("messages_deleted", rows.messagesDeleted());
        node.put("tool_calls_inserted", rows.toolCallsInserted());
        node.put("tool_calls_updated", rows.toolCallsUpdated());
        node.put("tool_calls_deleted", rows.toolCallsDeleted());
        node.put("token_rows_inserted", rows.tokenRowsInserted());
        node.put("token_rows_updated", rows.tokenRowsUpdated());
        node.put("token_rows_deleted", rows.tokenRowsDeleted());
        node.put("secret_findings_written", rows.secretFindingsWritten());
        node.put("replaced_characters", report.replacedCharacters());
        report.warnings().forEach(node.putArray("warnings")::add);
        report.unpricedModels().forEach(node.putArray("unpriced_models")::add);
        if (problem != null) {
            node.put("error", problem);
        }
        return node.toString();
    }
}
