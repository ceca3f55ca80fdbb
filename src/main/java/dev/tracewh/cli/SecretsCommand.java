package dev.tracewh.cli;

import dev.tracewh.warehouse.Warehouse;
import org.jooq.Field;
import org.jooq.impl.DSL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import static dev.tracewh.warehouse.schema.Tables.V_SECRET_FINDINGS;

@Command(name = "secrets", mixinStandardHelpOptions = true,
        description = {
                "Summarizes the secrets loads found in session text (v_secret_findings), by rule, project and day.",
                "It counts the findings, the sessions they are in, the different secrets, and how many were redacted.",
                "No secret is ever printed: only rule ids and counts."})
final class SecretsCommand
        implements Callable<Integer>
{
    /** What findings can be grouped by. */
    enum Grouping
    {
        RULE, PROJECT, DAY
    }

    @Mixin
    DatabaseOptions database;

    @Mixin
    ResultOutput output;

    @Option(names = "--by", paramLabel = "GROUPING", split = ",",
            description = "Group by rule, project and/or day (comma-separated, in that order of columns; default: rule,project,day).")
    List<String> by = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "How many rows (default: ${DEFAULT-VALUE}), most findings first.")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
            throws IOException
    {
        output.validate();
        Limits.check(limit);
        List<Field<?>> groups = new ArrayList<>();
        for (Grouping grouping : groupings()) {
            groups.add(switch (grouping) {
                case RULE -> V_SECRET_FINDINGS.RULE_ID;
                case PROJECT -> V_SECRET_FINDINGS.PROJECT_PATH;
                case DAY -> V_SECRET_FINDINGS.DAY;
            });
        }
        Field<Integer> findings = DSL.count().as("findings");
        List<Field<?>> columns = new ArrayList<>(groups);
        columns.add(findings);
        columns.add(DSL.countDistinct(V_SECRET_FINDINGS.TRACE_ID).as("sessions"));
        columns.add(DSL.countDistinct(V_SECRET_FINDINGS.FINGERPRINT).as("distinct_secrets"));
        columns.add(DSL.count().filterWhere(V_SECRET_FINDINGS.REDACTED).as("redacted"));
        try (Warehouse warehouse = database.openReadOnly()) {
            var rows = warehouse.dsl()
                    .select(columns)
                    .from(V_SECRET_FINDINGS)
                    .groupBy(groups)
                    .orderBy(DSL.count().desc(), groups.getFirst())
                    .limit(limit)
                    .fetch();
            output.print(rows, rows, spec.commandLine().getOut());
        }
        return ExitCodes.SUCCESS;
    }

    private Set<Grouping> groupings()
    {
        if (by.isEmpty()) {
            return new LinkedHashSet<>(List.of(Grouping.values()));
        }
        Set<Grouping> groupings = new LinkedHashSet<>();
        for (String each : by) {
            try {
                groupings.add(Grouping.valueOf(each.trim().toUpperCase(Locale.ROOT)));
            }
            catch (IllegalArgumentException e) {
                throw new UsageException("--by takes rule, project or day, got '" + each + "'");
            }
        }
        return groupings;
    }
}
