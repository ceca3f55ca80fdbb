package dev.tracewh.distill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.jsonl.JsonlReader;
import dev.tracewh.jsonl.Line;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Reads a score file (JSONL, or CSV with a header line) into a {@link ScoreWriter}. Two row shapes are understood:
 * <ul>
 * <li>long rows: {@code trace_id, name, value | label, explanation?} (plus {@code target_type, target_key} to score a
 * message or a tool call);</li>
 * <li>Data Designer output rows: a {@code trace_id}, any judge column mapping rubric names to {@code {score, reasoning}}
 * (the recipe's {@code sft_quality_judge_result}), and {@code trace_digest.training_value} (else
 * {@code trace_training_value}). The flattened {@code *_score} columns are ignored: the recipe turns a missing score
 * into 0 there.</li>
 * </ul>
 * In CSV, such object columns hold JSON text. A row that cannot be read is an issue with its line number.
 */
final class ScoreFileReader
{
    private static final String TRAINING_VALUE = "training_value";

    private final ObjectMapper mapper;

    ScoreFileReader(ObjectMapper mapper)
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    static boolean isCsv(Path file)
    {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    void read(Path file, ScoreWriter sink)
            throws IOException
    {
        if (isCsv(file)) {
            try (BufferedReader input = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                readCsv(new CsvReader(input), sink);
            }
        }
        else {
            try (InputStream input = Files.newInputStream(file)) {
                readJsonl(new JsonlReader(input), sink);
            }
        }
    }

    private void readJsonl(JsonlReader lines, ScoreWriter sink)
            throws IOException
    {
        for (Line line = lines.next(); line != null; line = lines.next()) {
            JsonNode node;
            try {
                node = mapper.readTree(line.buffer(), line.offset(), line.length());
            }
            catch (JsonProcessingException e) {
                sink.issue(line.number(), "not JSON: " + e.getOriginalMessage());
                continue;
            }
            if (!node.isObject()) {
                sink.issue(line.number(), "expected a JSON object, found " + node.getNodeType().name().toLowerCase(Locale.ROOT));
                continue;
            }
            row(line.number(), node, sink);
        }
    }

    private void readCsv(CsvReader records, ScoreWriter sink)
            throws IOException
    {
        CsvReader.CsvRecord header = records.next();
        if (header == null) {
            return;
        }
        List<String> names = header.fields().stream().map(String::strip).toList();
        for (CsvReader.CsvRecord record = records.next(); record != null; record = records.next()) {
            if (record.fields().size() != names.size()) {
                sink.issue(record.lineNumber(), "expected %d fields as in the header, found %d".formatted(names.size(), record.fields().size()));
                continue;
            }
            ObjectNode node = mapper.createObjectNode();
            for (int i = 0; i < names.size(); i++) {
                if (!record.fields().get(i).isEmpty()) {
                    node.put(names.get(i), record.fields().get(i));
                }
            }
            row(record.lineNumber(), node, sink);
        }
    }

    private void row(long position, JsonNode row, ScoreWriter sink)
    {
        String traceId = text(row.get("trace_id"));
        if (row.has("name")) {
            emit(sink, position, traceId, text(row.get("target_type")), text(row.get("target_key")), text(row.get("name")),
                    value(row.get("value")), text(row.get("label")), text(row.get("explanation")));
            return;
        }
        int scores = 0;
        boolean digested = false;
        for (Map.Entry<String, JsonNode> field : row.properties()) {
            JsonNode object = object(field.getValue());
            if (object == null) {
                continue;
            }
            if (field.getKey().equals("trace_digest")) {
                digested = true;
                String trainingValue = text(object.get(TRAINING_VALUE));
                if (trainingValue != null) {
                    emit(sink, position, traceId, null, null, TRAINING_VALUE, null, trainingValue, text(object.get("quality_notes")));
                    scores++;
                }
                continue;
            }
            for (Map.Entry<String, JsonNode> rubric : object.properties()) {
                JsonNode judged = rubric.getValue();
                if (judged.isObject() && judged.has("score")) {
                    emit(sink, position, traceId, null, null, rubric.getKey(), value(judged.get("score")), null, text(judged.get("reasoning")));
                    scores++;
                }
            }
        }
        String flatTrainingValue = text(row.get("trace_training_value"));
        if (!digested && flatTrainingValue != null) {
            emit(sink, position, traceId, null, null, TRAINING_VALUE, null, flatTrainingValue, null);
            scores++;
        }
        if (scores == 0) {
            sink.issue(position, "no scores: expected a long row (trace_id, name, value or label) or a Data Designer row "
                    + "(trace_id, a judge column of {score, reasoning} objects, trace_digest.training_value)");
        }
    }

    private static void emit(ScoreWriter sink, long position, String traceId, String targetType, String targetKey, String name, Object value, String label, String explanation)
    {
        ScoreRow row;
        try {
            row = ScoreRows.of(position, traceId, targetType, targetKey, name, value, label, explanation);
        }
        catch (IllegalArgumentException e) {
            sink.issue(position, e.getMessage());
            return;
        }
        sink.score(row);
    }

    /** An object, or a string holding one (a Data Designer column read back from CSV). */
    private JsonNode object(JsonNode node)
    {
        if (node.isObject()) {
            return node;
        }
        if (node.isTextual() && node.textValue().strip().startsWith("{")) {
            try {
                JsonNode parsed = mapper.readTree(node.textValue());
                return parsed.isObject() ? parsed : null;
            }
            catch (JsonProcessingException e) {
                return null;
            }
        }
        return null;
    }

    private static Object value(JsonNode node)
    {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

    private static String text(JsonNode node)
    {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
