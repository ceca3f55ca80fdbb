package dev.tracewh.devtools;

import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Deterministic filler text for generated sessions. Prose, code, log output and base64 are built once into pools
 * and served as slices cut at word or line boundaries, so long outputs cost a substring, not a random draw per
 * word, and a slice never splits a surrogate pair.
 */
final class TextSource
{
    private static final int POOL_CHARS = 1 << 20;
    private static final String[] WORDS = {
            "the", "a", "an", "and", "or", "to", "of", "in", "on", "for", "with", "by", "from", "as", "is", "be", "not",
            "now", "then", "also", "just", "still", "already", "instead", "however", "because", "finally", "first", "next",
            "should", "would", "could", "must", "can", "will", "let", "need", "we", "me", "it", "this", "that",
            "add", "fix", "update", "remove", "rename", "refactor", "implement", "extract", "validate", "sanitize", "parse",
            "load", "insert", "delete", "select", "merge", "rebase", "commit", "deploy", "build", "test", "lint", "retry",
            "cache", "buffer", "stream", "reader", "writer", "parser", "loader", "handler", "worker", "queue", "thread",
            "session", "token", "request", "response", "endpoint", "route", "server", "client", "service", "controller",
            "schema", "migration", "table", "column", "row", "index", "query", "cursor", "batch", "bulk", "offset", "page",
            "config", "state", "model", "entity", "repository", "interface", "class", "function", "method", "module",
            "package", "component", "props", "view", "template", "render", "hook", "effect", "promise", "async", "await",
            "error", "exception", "stacktrace", "stack", "heap", "memory", "pointer", "null", "undefined", "empty",
            "invalid", "missing", "broken", "flaky", "slow", "fast", "small", "large", "duplicate", "generic", "type",
            "latency", "throughput", "timeout", "lock", "job", "log", "debug", "trace", "metric", "hash", "key",
            "password", "auth", "login", "logout", "permission", "encrypt", "decrypt", "file", "directory", "path",
            "diff", "patch", "branch", "fails", "passes", "works", "tests", "api", "order", "user", "account", "group"};
    private static final String[] UNICODE = {
            "✅ All tests passed 🎉", "é combining acute", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙", "مرحبا بالعالم", "你好，世界", "日本語のテキスト",
            "👩‍💻 pair programming", "Ünïcödé naïve café", "Привет мир", "Ελληνικά γράμματα", "→ ← ↔ ≤ ≥ ≠ ∞", "한국어 문장"};
    private static final String[] IDENTIFIERS = {"alpha", "beta", "gamma", "delta", "load", "parse", "merge", "split", "walk",
            "visit", "emit", "flush", "fetch", "store", "index", "commit", "rollback"};
    private static final String[] TYPES = {"str", "int", "dict", "list", "bytes", "Optional[str]", "Path", "Message", "Session", "ToolCall"};
    private static final String[] LEVELS = {"DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"};
    private static final char[] BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final String prose;
    private final String code;
    private final String log;
    private final String base64;

    TextSource(long seed)
    {
        SplittableRandom random = new SplittableRandom(seed);
        this.prose = buildProse(random);
        this.code = buildCode(random);
        this.log = buildLog(random);
        this.base64 = randomChars(random, BASE64, POOL_CHARS);
    }

    String word(SplittableRandom random)
    {
        return WORDS[random.nextInt(WORDS.length)];
    }

    String identifier(SplittableRandom random)
    {
        return IDENTIFIERS[random.nextInt(IDENTIFIERS.length)];
    }

    /** One sentence of 4 to 15 words, capitalized, with a full stop. */
    String sentence(SplittableRandom random)
    {
        StringBuilder sentence = new StringBuilder(96);
        appendSentence(random, sentence);
        return sentence.toString();
    }

    /** Prose of about {@code chars} characters: sentences, paragraphs, bullet lists, now and then a code fence. */
    String prose(SplittableRandom random, int chars)
    {
        return chars < 120 ? sentence(random) : slice(prose, random, chars, ". ");
    }

    /** Source code lines, about {@code chars} long. */
    String code(SplittableRandom random, int chars)
    {
        return slice(code, random, chars, "\n");
    }

    /** Build, test or log output lines, about {@code chars} long. */
    String log(SplittableRandom random, int chars)
    {
        return slice(log, random, chars, "\n");
    }

    String base64(SplittableRandom random, int chars)
    {
        int start = random.nextInt(POOL_CHARS - chars);
        return base64.substring(start, start + chars);
    }

    String hex(SplittableRandom random, int chars)
    {
        return randomChars(random, HEX, chars);
    }

    String alphanumeric(SplittableRandom random, int chars)
    {
        return randomChars(random, ALPHANUMERIC, chars);
    }

    String filePath(SplittableRandom random, String root)
    {
        return root + "/src/" + identifier(random) + "/" + identifier(random) + "_" + random.nextInt(100) + ".py";
    }

    static String uuid(SplittableRandom random)
    {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    /** A time-ordered UUID (version 7), as Codex names its threads since late 2025. */
    static String uuidV7(SplittableRandom random, long epochMillis)
    {
        long most = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    /** {@code text} with a NUL character at a word boundary: written as the JSON escape backslash-u0000. */
    static String withNul(SplittableRandom random, String text)
    {
        int space = text.indexOf(' ', random.nextInt(Math.max(1, text.length())));
        int at = space < 0 ? text.length() : space;
        return text.substring(0, at) + "\u0000" + text.substring(at);
    }

    private static String slice(String pool, SplittableRandom random, int chars, String boundary)
    {
        if (chars >= POOL_CHARS / 2) {
            StringBuilder joined = new StringBuilder(chars + 256);
            while (joined.length() < chars) {
                joined.append(slice(pool, random, Math.min(POOL_CHARS / 4, chars - joined.length() + 1), boundary));
            }
            return joined.toString();
        }
        int from = pool.indexOf(boundary, random.nextInt(POOL_CHARS / 2)) + boundary.length();
        int to = Math.max(pool.indexOf(' ', from + Math.max(1, chars)), from + 1);
        // a slice ends before a space, so it never ends with a dangling newline or splits a surrogate pair
        return pool.substring(from, to).stripTrailing();
    }

    private static String randomChars(SplittableRandom random, char[] alphabet, int count)
    {
        char[] chars = new char[count];
        for (int i = 0; i < count; i++) {
            chars[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(chars);
    }

    private String buildProse(SplittableRandom random)
    {
        StringBuilder pool = new StringBuilder(POOL_CHARS + 4096);
        while (pool.length() < POOL_CHARS + 2048) {
            int sentences = 1 + random.nextInt(6);
            for (int i = 0; i < sentences; i++) {
                appendSentence(random, pool);
                pool.append(' ');
            }
            int shape = random.nextInt(10);
            if (shape == 0) {
                pool.append("\n\n");
                for (int i = 2 + random.nextInt(4); i > 0; i--) {
                    pool.append("- ");
                    appendSentence(random, pool);
                    pool.append('\n');
                }
            }
            else if (shape == 1) {
                pool.append("\n\n```python\n");
                appendCodeLines(random, pool, 2 + random.nextInt(6));
                pool.append("```\n");
            }
            pool.append("\n\n");
        }
        return pool.toString();
    }

    private void appendSentence(SplittableRandom random, StringBuilder out)
    {
        int words = 4 + random.nextInt(12);
        for (int i = 0; i < words; i++) {
            String word = random.nextInt(400) == 0 ? UNICODE[random.nextInt(UNICODE.length)] : word(random);
            if (i == 0) {
                out.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            }
            else {
                out.append(' ').append(word);
            }
        }
        out.append('.');
    }

    private String buildCode(SplittableRandom random)
    {
        StringBuilder pool = new StringBuilder(POOL_CHARS + 4096);
        while (pool.length() < POOL_CHARS + 2048) {
            appendCodeLines(random, pool, 50);
        }
        return pool.toString();
    }

    private void appendCodeLines(SplittableRandom random, StringBuilder out, int lines)
    {
        for (int i = 0; i < lines; i++) {
            String a = identifier(random);
            String b = identifier(random);
            switch (random.nextInt(9)) {
                case 0 -> out.append("def ").append(a).append('_').append(b).append('_').append(random.nextInt(100))
                        .append("(self, ").append(b).append(": ").append(TYPES[random.nextInt(TYPES.length)]).append(") -> ")
                        .append(TYPES[random.nextInt(TYPES.length)]).append(':');
                case 1 -> out.append("class ").append(Character.toUpperCase(a.charAt(0))).append(a, 1, a.length())
                        .append(Character.toUpperCase(b.charAt(0))).append(b, 1, b.length()).append(random.nextInt(20)).append(':');
                case 2 -> out.append("        ").append(a).append('_').append(b).append(" = ").append(b).append(".get(\"")
                        .append(a).append("\", ").append(random.nextInt(100)).append(')');
                case 3 -> out.append("        if ").append(a).append(" is None or len(").append(b).append(") > ")
                        .append(random.nextInt(4096)).append(':');
                case 4 -> out.append("            raise ValueError(f\"").append(a).append(" failed for {").append(b).append("!r}\")");
                case 5 -> out.append("    # ").append(random.nextInt(300) == 0 ? UNICODE[random.nextInt(UNICODE.length)] : word(random))
                        .append(' ').append(word(random)).append(' ').append(word(random)).append(' ').append(word(random));
                case 6 -> out.append("        return self.").append(a).append('(').append(b).append(", limit=")
                        .append(random.nextInt(500)).append(')');
                case 7 -> out.append("    ").append(a).append(": ").append(TYPES[random.nextInt(TYPES.length)])
                        .append(" = field(default_factory=list)");
                default -> { }
            }
            out.append('\n');
        }
    }

    private String buildLog(SplittableRandom random)
    {
        StringBuilder pool = new StringBuilder(POOL_CHARS + 4096);
        while (pool.length() < POOL_CHARS + 2048) {
            String a = identifier(random);
            switch (random.nextInt(8)) {
                case 0 -> pool.append("src/").append(a).append('/').append(identifier(random)).append(".py:").append(1 + random.nextInt(400))
                        .append(':').append(1 + random.nextInt(80)).append(": E").append(100 + random.nextInt(800)).append(' ')
                        .append(word(random)).append(' ').append(word(random)).append(' ').append(word(random));
                case 1 -> pool.append("\u001b[31mFAIL\u001b[0m tests/test_").append(a).append(".py::test_").append(identifier(random))
                        .append(" - AssertionError: expected ").append(random.nextInt(100)).append(" got ").append(random.nextInt(100));
                case 2 -> pool.append("  File \"src/").append(a).append('/').append(identifier(random)).append(".py\", line ")
                        .append(random.nextInt(600)).append(", in ").append(identifier(random));
                case 3 -> pool.append('[').append(String.format("%05d", random.nextInt(30000))).append("] ")
                        .append("=".repeat(8 + random.nextInt(24))).append(' ').append(word(random)).append(' ').append(word(random));
                default -> {
                    pool.append("2025-").append(String.format("%02d-%02d %02d:%02d:%02d.%03d", 1 + random.nextInt(12), 1 + random.nextInt(28),
                                    random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1000)))
                            .append(' ').append(LEVELS[random.nextInt(LEVELS.length)]).append(" [").append(a).append("] ");
                    for (int words = 3 + random.nextInt(12); words > 0; words--) {
                        pool.append(random.nextInt(500) == 0 ? UNICODE[random.nextInt(UNICODE.length)] : word(random)).append(' ');
                    }
                    pool.setLength(pool.length() - 1);
                }
            }
            pool.append('\n');
        }
        return pool.toString();
    }
}
