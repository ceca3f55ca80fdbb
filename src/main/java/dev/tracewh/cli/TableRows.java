package dev.tracewh.cli;

import org.jooq.types.Interval;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A table for people: a header, a rule, a row per line, columns two spaces apart, numbers (not intervals) right-aligned, each cell
 * fitted to {@code --max-width} ({@link CellFit}). Rows are laid out a page at a time (up to {@value #PAGE_ROWS}
 * rows, or fewer when their text passes {@value #PAGE_CHARS} characters), so memory stays bounded however many
 * rows come: a column's width is the widest of what came so far, and a later page may widen it.
 */
final class TableRows
        implements RowWriter
{
    static final int PAGE_ROWS = 1_000;
    static final int PAGE_CHARS = 4_000_000;

    private final Writer out;
    private final int maxWidth;
    private final String nullText;
    private final List<Cell[]> page = new ArrayList<>();
    private long pageChars;
    private List<RowColumn> columns = List.of();
    private int[] widths = new int[0];
    private boolean[] numeric = new boolean[0];
    private boolean headerWritten;

    private record Cell(String text, boolean number) {}

    TableRows(Writer out, int maxWidth, String nullText)
    {
        this.out = requireNonNull(out, "out is null");
        this.maxWidth = maxWidth;
        this.nullText = requireNonNull(nullText, "nullText is null");
    }

    @Override
    public void start(List<RowColumn> columns)
    {
        this.columns = List.copyOf(columns);
        widths = new int[columns.size()];
        numeric = new boolean[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = width(CellFit.fit(columns.get(i).name(), maxWidth));
        }
    }

    @Override
    public void row(Object[] values)
            throws IOException
    {
        Cell[] cells = new Cell[values.length];
        for (int i = 0; i < values.length; i++) {
            String text = CellFit.fit(values[i] == null ? nullText : CellText.forTable(values[i]), maxWidth);
            cells[i] = new Cell(text, values[i] instanceof Number && !(values[i] instanceof Interval));
            pageChars += text.length();
        }
        page.add(cells);
        if (page.size() >= PAGE_ROWS || pageChars >= PAGE_CHARS) {
            writePage();
        }
    }

    @Override
    public void end()
            throws IOException
    {
        writePage();
    }

    private void writePage()
            throws IOException
    {
        for (Cell[] cells : page) {
            for (int i = 0; i < cells.length; i++) {
                widths[i] = Math.max(widths[i], width(cells[i].text()));
            }
        }
        if (!headerWritten) {
            headerWritten = true;
            writeHeader();
        }
        for (Cell[] cells : page) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                pad(line, cells[i].text(), widths[i], cells[i].number(), i == cells.length - 1);
            }
            out.write(strip(line).append('\n').toString());
        }
        page.clear();
        pageChars = 0;
    }

    private void writeHeader()
            throws IOException
    {
        for (int i = 0; i < numeric.length; i++) {
            boolean anyNumber = false;
            boolean allNumbers = true;
            for (Cell[] cells : page) {
                anyNumber |= cells[i].number();
                allNumbers &= cells[i].number() || cells[i].text().equals(nullText);
            }
            numeric[i] = anyNumber && allNumbers;
        }
        StringBuilder header = new StringBuilder();
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            pad(header, CellFit.fit(columns.get(i).name(), maxWidth), widths[i], numeric[i], i == widths.length - 1);
            pad(rule, "-".repeat(widths[i]), widths[i], false, i == widths.length - 1);
        }
        out.write(strip(header).append('\n').append(strip(rule)).append('\n').toString());
    }

    private static void pad(StringBuilder line, String text, int width, boolean right, boolean last)
    {
        String padding = " ".repeat(Math.max(0, width - width(text)));
        line.append(right ? padding : "").append(text).append(right ? "" : padding).append(last ? "" : "  ");
    }

    private static StringBuilder strip(StringBuilder line)
    {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        line.setLength(end);
        return line;
    }

    private static int width(String text)
    {
        return text.codePointCount(0, text.length());
    }
}
