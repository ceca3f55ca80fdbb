package dev.tracewh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.export.TraceExporter;
import dev.tracewh.warehouse.Warehouse;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import static dev.tracewh.warehouse.schema.Tables.SESSIONS;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes warehouse data to files.",
        subcommands = {ExportCommand.Traces.class, ExportSftCommand.class})
final class ExportCommand
{
    @Command(name = "traces", mixinStandardHelpOptions = true,
            description = {
                    "Writes one normalized trace per line (JSONL) in NVIDIA Data Designer's agent-rollout shape:",
                    "trace_id, source_kind, source_path, root_session_id, agent_id, is_sidechain, cwd, project_path, git_branch,",
                    "started_at, ended_at, messages, source_meta, message_count, tool_call_count, final_assistant_message.",
                    "Ordered by trace_id; streamed, so memory stays flat."})
    static final class Traces
            implements Callable<Integer>
    {
        @Mixin
        DatabaseOptions database;

        @Option(names = "--format", paramLabel = "FORMAT", description = "Only traces of this source kind (claude_code, codex, ...).")
        String format;

        @Option(names = "--where", paramLabel = "SQL", description = "A SQL condition on the sessions table, e.g. \"message_count > 10\".")
        String where;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "The JSONL file to write, or - for stdout.")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
                throws IOException
        {
            Condition filter = DSL.noCondition();
            if (format != null) {
                filter = filter.and(SESSIONS.SOURCE_KIND.eq(format));
            }
            if (where != null && !where.isBlank()) {
                filter = filter.and(DSL.condition(where));
            }
            try (Warehouse warehouse = database.openReadOnly();
                    OutputStream output = open(out)) {
                long count = new TraceExporter(warehouse.dsl(), new ObjectMapper()).export(filter, output);
                output.flush();
                spec.commandLine().getErr().printf("exported %,d traces to %s%n", count, out);
            }
            return ExitCodes.SUCCESS;
        }
    }

    static OutputStream open(Path out)
            throws IOException
    {
        if (out.toString().equals("-")) {
            return new BufferedOutputStream(System.out)
            {
                @Override
                public void close()
                        throws IOException
                {
                    flush();
                }
            };
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new BufferedOutputStream(Files.newOutputStream(out), 1 << 16);
    }
}
