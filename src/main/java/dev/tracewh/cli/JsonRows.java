package dev.tracewh.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A JSON array of objects, an object per line ({@code [{...},\n{...}]}), written as the rows come. Numbers are JSON numbers in plain
 * notation ({@code 0}, not {@code 0E-20}; {@code 1e10} as {@code 10000000000}), booleans JSON booleans, null null,
 * a JSON column ({@link RowColumn}) its JSON value, everything else a string as a table prints it ({@link CellText}).
 */
final class JsonRows
        implements RowWriter
{
    private final ObjectMapper mapper;
    private final JsonGenerator json;
    private List<RowColumn> columns = List.of();
    private boolean first = true;

    JsonRows(Writer out, ObjectMapper mapper)
            throws IOException
    {
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.json = mapper.getFactory().createGenerator(requireNonNull(out, "out is null"))
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .setRootValueSeparator(null);
    }

    @Override
    public void start(List<RowColumn> columns)
            throws IOException
    {
        this.columns = List.copyOf(columns);
        json.writeRaw('[');
    }

    @Override
    public void row(Object[] values)
            throws IOException
    {
        if (!first) {
            json.writeRaw(",\n");
        }
        first = false;
        json.writeStartObject();
        for (int i = 0; i < values.length; i++) {
            json.writeFieldName(columns.get(i).name());
            writeValue(columns.get(i), values[i]);
        }
        json.writeEndObject();
        json.flush();
    }

    @Override
    public void end()
            throws IOException
    {
        json.writeRaw("]\n");
        json.flush();
    }

    private void writeValue(RowColumn column, Object value)
            throws IOException
    {
        switch (value) {
            case null -> json.writeNull();
            case Boolean bool -> json.writeBoolean(bool);
            case Long number -> json.writeNumber(number);
            case Integer number -> json.writeNumber(number);
            case Short number -> json.writeNumber(number);
            case Byte number -> json.writeNumber(number);
            case BigInteger number -> json.writeNumber(number);
            case BigDecimal number -> json.writeNumber(new BigDecimal(CellText.plain(number)));
            case Double number when Double.isFinite(number) -> json.writeNumber(new BigDecimal(CellText.of(number)));
            case Float number when Float.isFinite(number) -> json.writeNumber(new BigDecimal(CellText.of(number)));
            default -> {
                String text = CellText.of(value);
                JsonNode parsed = column.typedJson() || column.namedJson() ? parse(text) : null;
                if (parsed != null && (column.typedJson() || parsed.isContainerNode())) {
                    json.writeTree(parsed);
                }
                else {
                    json.writeString(text);
                }
            }
        }
    }

    /** The JSON value {@code text} holds, or null when it is no JSON (or more than one value: the mapper fails on trailing tokens). */
    private JsonNode parse(String text)
    {
        try {
            JsonNode node = mapper.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        }
        catch (JsonProcessingException e) {
            return null;
        }
    }
}
