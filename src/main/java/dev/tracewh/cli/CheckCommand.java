package dev.tracewh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.warehouse.Warehouse;
import dev.tracewh.warehouse.WarehouseCheck;
import dev.tracewh.warehouse.WarehouseCheck.Example;
import dev.tracewh.warehouse.WarehouseCheck.Findings;
import dev.tracewh.warehouse.WarehouseCheck.Invariant;
import dev.tracewh.warehouse.WarehouseCheck.Violation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Verifies the warehouse's own invariants and names what is wrong, with a count and examples of each.",
                "Every session's message_count and tool_call_count equal its rows in messages (on the active path) and tool_calls, every session's "
                        + "source_path has its source_files row, every loaded source file with traces has that many sessions, "
                        + "and every token_usage row belongs to a stored session. Changes no rows; says how to repair."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every invariant holds (one line: ok)",
                "1:some invariant is broken (each is named, with examples and its repair)",
                "2:failed: database unreachable or a query failed"})
final class CheckCommand
        implements Callable<Integer>
{
    private static final String FULL_REFRESH = "tracewh load --full-refresh (with the --path and --format of your loads) reads every file again "
            + "and writes what it still holds";

    @Mixin
    DatabaseOptions database;

    @Option(names = "--json", description = "Print one JSON object: status, sizes and each broken invariant with its count, examples and repair.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        Findings findings;
        String url;
        try (Warehouse warehouse = database.openReadOnly()) {
            findings = new WarehouseCheck(warehouse.dsl()).run();
            url = warehouse.url().redacted();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(findings, url));
        }
        else {
            print(findings, url, out);
        }
        out.flush();
        return findings.holds() ? ExitCodes.SUCCESS : ExitCodes.PARTIAL;
    }

    private static void print(Findings findings, String url, PrintWriter out)
    {
        int invariants = Invariant.values().length;
        if (findings.holds()) {
            out.printf("ok: all %d invariants hold over %,d sessions and %,d source files in %s%n", invariants, findings.sessions(), findings.sourceFiles(), url);
            return;
        }
        out.printf("%d of %d invariants broken over %,d sessions and %,d source files in %s%n", findings.violations().size(), invariants,
                findings.sessions(), findings.sourceFiles(), url);
        for (Violation violation : findings.violations()) {
            out.printf("%n%s: %,d %s%n", violation.invariant().key(), violation.count(), violation.invariant().description());
            for (Example example : violation.examples()) {
                out.printf("  %s  %s%n", example.subject(), example.detail());
            }
            long unnamed = violation.count() - violation.examples().size();
            if (unnamed > 0) {
                out.printf("  … and %,d more%n", unnamed);
            }
            out.printf("  repair: %s%n", repair(violation.invariant()));
        }
    }

    private static String json(Findings findings, String url)
    {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = mapper.createObjectNode();
        node.put("status", findings.holds() ? "ok" : "broken");
        node.put("database", url);
        node.put("sessions", findings.sessions());
        node.put("source_files", findings.sourceFiles());
        ArrayNode violations = node.putArray("violations");
        for (Violation violation : findings.violations()) {
            ObjectNode entry = violations.addObject();
            entry.put("invariant", violation.invariant().key());
            entry.put("description", violation.invariant().description());
            entry.put("count", violation.count());
            ArrayNode examples = entry.putArray("examples");
            violation.examples().forEach(example -> examples.addObject().put("subject", example.subject()).put("detail", example.detail()));
            entry.put("repair", repair(violation.invariant()));
        }
        return node.toString();
    }

    private static String repair(Invariant invariant)
    {
        return switch (invariant) {
            case MESSAGE_COUNT, TOOL_CALL_COUNT, SESSION_FILE_STATE, FILE_TRACE_COUNT -> FULL_REFRESH;
            // the foreign key from token_usage to sessions keeps these out; rows that got past it are deleted by hand
            case USAGE_TRACE -> "delete them (tracewh sql cannot: use psql or the H2 shell): "
                    + "delete from token_usage where trace_id not in (select trace_id from sessions); then " + FULL_REFRESH;
        };
    }
}
