package dev.tracewh.devtools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Writes a synthetic corpus of sessions in a format's real directory layout, deterministically for a seed. Sessions
 * are mostly 50 KB to 2 MB with a few larger ones; sub-agent files count toward their session's size. The corpus root
 * gets a {@value #MANIFEST} describing what was written.
 */
public final class CorpusGenerator
{
    public static final String MANIFEST = "corpus.json";
    static final long MIN_SESSION_BYTES = 50_000;
    private static final long MAX_TYPICAL_SESSION_BYTES = 2_000_000;
    private static final double MEDIAN_SESSION_BYTES = 250_000;
    private static final double LARGE_SESSION_SHARE = 0.03;
    private static final Instant FIRST_SESSION = Instant.parse("2025-09-15T00:00:00Z");
    private static final Duration SESSION_SPAN = Duration.ofDays(180);
    private static final String[] HOMES = {"/home/alice", "/home/carol", "/home/dmitri", "/Users/bob", "/Users/yuki", "/home/li"};
    private static final String[] FOLDERS = {"src", "projects", "code", "dev/repos", "work"};
    private static final String[] REPOSITORIES = {"billing-api", "web-frontend", "ml-pipeline", "cli-tools", "data-loader", "k8s-manifests",
            "docs-site", "payments", "compiler", "mobile-app", "trace-warehouse", "etl-jobs", "My Projects/app (v2)", "项目/实验", "infra"};

    /** What to generate: a corpus of {@code bytes}, or one session file of that size when {@code singleFile}. */
    public record Request(CorpusFormat format, long bytes, boolean singleFile, long seed)
    {
        public Request
        {
            requireNonNull(format, "format is null");
            if (bytes < MIN_SESSION_BYTES) {
                throw new IllegalArgumentException("size must be at least " + MIN_SESSION_BYTES + " bytes: " + bytes);
            }
        }
    }

    /** The {@value #MANIFEST} of a generated corpus. */
    public record Manifest(String format, long seed, long requestedBytes, boolean singleFile, int sessions, int files, long bytes, long lines)
    {
        public Manifest
        {
            requireNonNull(format, "format is null");
        }
    }

    private CorpusGenerator() {}

    /** Generates into {@code root}, which must not exist yet or be empty. */
    public static Manifest generate(Request request, Path root)
            throws IOException
    {
        requireNonNull(request, "request is null");
        requireNonNull(root, "root is null");
        if (Files.exists(root)) {
            try (Stream<Path> entries = Files.list(root)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("output folder is not empty: " + root);
                }
            }
        }
        SplittableRandom plan = new SplittableRandom(request.seed());
        TextSource text = new TextSource(request.seed());
        List<String> projects = Stream.generate(() -> cwd(plan)).limit(8 + request.bytes() / 30_000_000).toList();
        GeneratedFiles written = GeneratedFiles.NONE;
        int sessions = 0;
        while (sessions == 0 || request.bytes() - written.bytes() >= MIN_SESSION_BYTES) {
            long remaining = request.bytes() - written.bytes();
            long target = request.singleFile() ? request.bytes() : Math.min(remaining, sessionBytes(plan, request.bytes()));
            if (remaining - target < MIN_SESSION_BYTES) {
                target = remaining;
            }
            String cwd = projects.get(plan.nextInt(projects.size()));
            Instant start = FIRST_SESSION.plusMillis(plan.nextLong(SESSION_SPAN.toMillis()));
            // each session draws from its own generator, split off in plan order: its content does not depend on the others
            SplittableRandom sessionRandom = plan.split();
            written = written.plus(switch (request.format()) {
                case CLAUDE_CODE -> ClaudeCodeSessionWriter.writeSession(root.resolve("projects").resolve(encodeProjectDirectory(cwd)),
                        cwd, start, target, !request.singleFile(), text, sessionRandom);
                case CODEX -> CodexRolloutWriter.writeSession(root.resolve("sessions"), cwd, start, target, !request.singleFile(), text, sessionRandom);
            });
            sessions++;
        }
        Manifest manifest = new Manifest(request.format().id(), request.seed(), request.bytes(), request.singleFile(),
                sessions, written.files(), written.bytes(), written.lines());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(root.resolve(MANIFEST).toFile(), manifest);
        return manifest;
    }

    /**
     * Appends one ordinary turn (a prompt, tool calls and results, an answer) to each of {@code files}, as a
     * session that goes on would. Returns the bytes and lines added.
     */
    static GeneratedFiles appendTurns(CorpusFormat format, List<Path> files, long seed)
            throws IOException
    {
        TextSource text = new TextSource(seed);
        SplittableRandom random = new SplittableRandom(seed);
        GeneratedFiles appended = GeneratedFiles.NONE;
        for (Path file : files) {
            appended = appended.plus(switch (format) {
                case CLAUDE_CODE -> ClaudeCodeSessionWriter.appendTurn(file, text, random.split());
                case CODEX -> CodexRolloutWriter.appendTurn(file, text, random.split());
            });
        }
        return appended;
    }

    /** Claude Code's project folder name: every character other than an ASCII letter or digit becomes '-'. */
    static String encodeProjectDirectory(String cwd)
    {
        StringBuilder encoded = new StringBuilder(cwd.length());
        for (int i = 0; i < cwd.length(); i++) {
            char c = cwd.charAt(i);
            encoded.append(c < 128 && Character.isLetterOrDigit(c) ? c : '-');
        }
        return encoded.toString();
    }

    private static String cwd(SplittableRandom random)
    {
        String cwd = Draws.pick(random, HOMES) + "/" + Draws.pick(random, FOLDERS) + "/" + Draws.pick(random, REPOSITORIES);
        return random.nextInt(3) == 0 ? cwd + "-" + random.nextInt(30) : cwd;
    }

    /** Mostly log-normal around 250 KB within 50 KB..2 MB; a few percent are large, up to 1/15 of the corpus or 40 MB. */
    private static long sessionBytes(SplittableRandom random, long corpusBytes)
    {
        if (random.nextDouble() < LARGE_SESSION_SHARE) {
            long largest = Math.max(MAX_TYPICAL_SESSION_BYTES * 2, Math.min(40_000_000, corpusBytes / 15));
            return Draws.logUniform(random, MAX_TYPICAL_SESSION_BYTES, largest);
        }
        double size = MEDIAN_SESSION_BYTES * Math.exp(0.9 * random.nextGaussian());
        return Math.clamp(Math.round(size), MIN_SESSION_BYTES, MAX_TYPICAL_SESSION_BYTES);
    }
}
