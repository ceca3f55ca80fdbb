package dev.tracewh.cli;

/**
 * A table cell's text on one line and at most {@code width} characters wide (0: any width): line breaks become
 * {@code ↵}, tabs and other control characters spaces; a path too long loses its middle, so that where it starts and
 * its file name stay ({@code /home/dev/…/project/session.jsonl}), any other text its end ({@code …}).
 */
final class CellFit
{
    private static final String ELLIPSIS = "…";

    private CellFit() {}

    static String fit(String text, int width)
    {
        String line = oneLine(text);
        if (width <= 0 || line.codePointCount(0, line.length()) <= width) {
            return line;
        }
        return isPath(line) ? shortenPath(line, width) : head(line, width - 1) + ELLIPSIS;
    }

    private static String oneLine(String text)
    {
        StringBuilder line = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                if (line == null) {
                    line = new StringBuilder(text.length()).append(text, 0, i);
                }
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    continue;
                }
                line.append(c == '\n' || c == '\r' ? '↵' : ' ');
            }
            else if (line != null) {
                line.append(c);
            }
        }
        return line == null ? text : line.toString();
    }

    /** A path: at least two names separated by {@code /}, and no spaces. */
    private static boolean isPath(String text)
    {
        int slash = text.lastIndexOf('/');
        return slash > 0 && slash < text.length() - 1 && text.chars().noneMatch(Character::isWhitespace);
    }

    /** As many of the first and the last names as fit, a name of the start and one of the end in turn. */
    private static String shortenPath(String path, int width)
    {
        String[] names = path.split("/", -1);
        String fileName = "/" + names[names.length - 1];
        if (fileName.length() + 1 >= width) {
            return ELLIPSIS + tail(path, width - 1);
        }
        StringBuilder head = new StringBuilder();
        String tail = fileName;
        int first = 0;
        int last = names.length - 2;
        boolean headTurn = true;
        boolean headFits = true;
        boolean tailFits = true;
        while ((headFits || tailFits) && first <= last) {
            if (headTurn && headFits) {
                String name = names[first] + "/";
                headFits = head.length() + name.length() + 1 + tail.length() <= width;
                if (headFits) {
                    head.append(name);
                    first++;
                }
            }
            else if (!headTurn && tailFits) {
                String name = "/" + names[last];
                tailFits = head.length() + 1 + name.length() + tail.length() <= width;
                if (tailFits) {
                    tail = name + tail;
                    last--;
                }
            }
            headTurn = !headTurn;
        }
        if (head.isEmpty()) {
            return ELLIPSIS + tail;
        }
        return head + ELLIPSIS + tail;
    }

    private static String head(String text, int codePoints)
    {
        return text.substring(0, text.offsetByCodePoints(0, codePoints));
    }

    private static String tail(String text, int codePoints)
    {
        return text.substring(text.offsetByCodePoints(text.length(), -codePoints));
    }
}
