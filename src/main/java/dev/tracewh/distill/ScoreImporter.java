package dev.tracewh.distill;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Imports a score file (see {@link ScoreFileReader}) into the import judge run of the given name, in one
 * transaction: rows that cannot be stored are reported and skipped, the rest is written. Importing again under
 * the same name updates that run's scores and keeps the ones the new file does not mention.
 */
public final class ScoreImporter
{
    private final DSLContext dsl;
    private final ObjectMapper mapper;

    public ScoreImporter(DSLContext dsl, ObjectMapper mapper)
    {
        this.dsl = requireNonNull(dsl, "dsl is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    public ScoringResult importFile(Path file, String judgeName, Optional<String> model)
    {
        requireNonNull(file, "file is null");
        requireNonNull(judgeName, "judgeName is null");
        requireNonNull(model, "model is null");
        String parameters = mapper.createObjectNode()
                .put("file", file.toAbsolutePath().normalize().toString())
                .put("format", ScoreFileReader.isCsv(file) ? "csv" : "jsonl")
                .toString();
        return dsl.transactionResult(configuration -> {
            DSLContext transaction = DSL.using(configuration);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            long judgeRunId = JudgeRuns.startImport(transaction, judgeName, model, parameters, now);
            ScoreWriter writer = new ScoreWriter(transaction, judgeRunId, ScoreConfig.loadAll(transaction, mapper), now);
            try {
                new ScoreFileReader(mapper).read(file, writer);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            writer.flush();
            JudgeRuns.finish(transaction, judgeRunId);
            return new ScoringResult(judgeRunId, judgeName, writer.written(), writer.issues());
        });
    }
}
