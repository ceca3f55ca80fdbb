package dev.tracewh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.export.TraceExporter;
import dev.tracewh.secrets.SecretFilter;
import dev.tracewh.usersql.UserCondition;
import dev.tracewh.usersql.UserSqlException;
import dev.tracewh.usersql.UserSqlSession;
import dev.tracewh.warehouse.Warehouse;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
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
                    "Writes one normalized trace per line (JSONL) in NVIDIA Data Designer's agent-rollout shape.",
                    "Each line holds trace_id, source_kind, source_path, root_session_id, agent_id, is_sidechain, cwd, project_path, git_branch, "
                            + "started_at, ended_at, messages, source_meta, message_count, tool_call_count and final_assistant_message.",
                    "Ordered by trace_id; streamed, so memory stays flat. A trace holds its active path (what a rewind abandoned is "
                            + "left out) unless --all-branches; message_count and tool_call_count count what the line holds."})
    static final class Traces
            implements Callable<Integer>
    {
        @Mixin
        DatabaseOptions database;

        @Option(names = "--format", paramLabel = "FORMAT", description = "Only traces of this source kind (claude_code, codex, ...).")
        String format;

        @Option(names = "--where", paramLabel = "SQL", description = "One SQL condition on the sessions table, e.g. \"message_count > 10\".")
        String where;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "The JSONL file to write (replaced only once the export succeeded), or - for stdout.")
        Path out;

        @Option(names = "--all-branches",
                description = "Write every message, also those a rewind abandoned, in ordinal order; each message gets a \"branch\" key (0 = active path).")
        boolean allBranches;

        @Mixin
        ExportSecretsOptions secrets;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
                throws IOException
        {
            SecretFilter secretFilter = secrets.filter();
            try (Warehouse warehouse = database.openReadOnly();
                    UserSqlSession session = UserSqlSession.open(warehouse)) {
                Condition filter = DSL.noCondition();
                if (format != null) {
                    filter = filter.and(SESSIONS.SOURCE_KIND.eq(format));
                }
                if (where != null && !where.isBlank()) {
                    filter = filter.and(where(where, warehouse, "sessions").condition());
                }
                Condition selected = filter;
                long count;
                try (OutputFile output = OutputFile.open(out)) {
                    count = session.read(reader -> new TraceExporter(reader, new ObjectMapper(), secretFilter, allBranches).export(selected, output.stream()));
                    output.commit();
                }
                ExportSecretsOptions.report(secretFilter, spec.commandLine().getErr());
                spec.commandLine().getErr().printf("exported %,d traces to %s%n", count, out);
            }
            catch (UserSqlException e) {
                throw new UsageException(e.getMessage());
            }
            return ExitCodes.SUCCESS;
        }
    }

    /** The {@code --where} option's condition on {@code relation}, parsed as one condition (exit code 3 when it is not). */
    static UserCondition where(String text, Warehouse warehouse, String relation)
    {
        try {
            return UserCondition.parse(text, warehouse.dsl().dialect());
        }
        catch (UserSqlException e) {
            throw new UsageException("--where on " + relation + " is " + e.getMessage());
        }
    }
}
