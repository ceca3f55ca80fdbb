package dev.tracewh.cli;

import java.io.Writer;
import java.io.IOException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * CSV after RFC 4180, a row per line ending in {@code \n}: a header line of the column names; a field holding a
 * comma, a quote, a line break or spaces at either end is quoted, its quotes doubled. Null is an empty field (or
 * {@code --null}'s text), the empty string {@code ""}, so the two stay apart.
 */
final class CsvRows
        implements RowWriter
{
    private final Writer out;
    private final String nullText;

    CsvRows(Writer out, String nullText)
    {
        this.out = requireNonNull(out, "out is null");
        this.nullText = requireNonNull(nullText, "nullText is null");
    }

    @Override
    public void start(List<RowColumn> columns)
            throws IOException
    {
        StringBuilder line = new StringBuilder();
        for (RowColumn column : columns) {
            appendField(line.isEmpty() ? line : line.append(','), column.name());
        }
        out.write(line.append('\n').toString());
    }

    @Override
    public void row(Object[] values)
            throws IOException
    {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            if (values[i] == null) {
                appendField(line, nullText);
            }
            else if (values[i] instanceof String text && text.isEmpty()) {
                line.append("\"\"");
            }
            else {
                appendField(line, CellText.of(values[i]));
            }
        }
        out.write(line.append('\n').toString());
    }

    @Override
    public void end() {}

    static StringBuilder appendField(StringBuilder line, String text)
    {
        boolean quoted = !text.isEmpty() && (Character.isWhitespace(text.charAt(0)) || Character.isWhitespace(text.charAt(text.length() - 1))
                || text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r'));
        if (!quoted) {
            return line.append(text);
        }
        return line.append('"').append(text.replace("\"", "\"\"")).append('"');
    }
}
