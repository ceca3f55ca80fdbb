package dev.tracewh.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A parsed set of secret-detection rules in gitleaks' format. Immutable, shareable.
 *
 * <p>{@link #defaults()} are gitleaks' default rules (the unchanged {@code gitleaks.toml} of the gitleaks version
 * named in {@code gitleaks-VERSION}, MIT, see {@code gitleaks-LICENSE}) with {@code tracewh-rules.toml} on top.
 */
public final class SecretRules
{
    private static final String RESOURCES = "/dev/tracewh/secrets/";
    private static final int MAX_EXTEND_DEPTH = 2;

    private final String source;
    private final String digest;
    private final List<SecretRule> rules;
    private final List<Allowlist> allowlists;

    SecretRules(String source, String digest, List<SecretRule> rules, List<Allowlist> allowlists)
    {
        this.source = requireNonNull(source, "source is null");
        this.digest = requireNonNull(digest, "digest is null");
        this.rules = List.copyOf(rules);
        this.allowlists = List.copyOf(allowlists);
    }

    /** The bundled gitleaks rules plus tracewh's own; parsed once per JVM. */
    public static SecretRules defaults()
    {
        return Defaults.RULES;
    }

    /**
     * A user's gitleaks-format file. With {@code [extend] useDefault = true} its rules and allowlists come on top of
     * {@link #defaults()}; with {@code [extend] path = "..."} on top of that file (relative to this one's folder);
     * else they are the only ones.
     *
     * @throws InvalidSecretRulesException when the file is not a usable rule set; the message names the file and
     * the rule or line
     */
    public static SecretRules load(Path gitleaksFormatToml)
            throws IOException
    {
        requireNonNull(gitleaksFormatToml, "gitleaksFormatToml is null");
        GitleaksConfig own = GitleaksConfig.read(gitleaksFormatToml);
        String source = gitleaksFormatToml + (own.extend().useDefault() ? " on top of " + defaults().source() : "");
        return resolve(own, gitleaksFormatToml, 1).build(source);
    }

    private static GitleaksConfig resolve(GitleaksConfig config, Path file, int depth)
            throws IOException
    {
        if (config.extend().useDefault()) {
            return config.extend(Defaults.CONFIG);
        }
        if (config.extend().path().isPresent()) {
            if (depth >= MAX_EXTEND_DEPTH + 1) {
                throw new InvalidSecretRulesException("%s: [extend] path: extends more than %d files deep".formatted(file, MAX_EXTEND_DEPTH));
            }
            Path parent = file.toAbsolutePath().getParent();
            Path base = parent.resolve(config.extend().path().get());
            return config.extend(resolve(GitleaksConfig.read(base), base, depth + 1));
        }
        return config;
    }

    /** What the rules are, e.g. "gitleaks 8.30.0-27 (b58d3f10) default rules" or the user's file. */
    public String source()
    {
        return source;
    }

    /** A SHA-256 of the rules and allowlists: rows stored with other rules can be told apart (and read again). */
    public String digest()
    {
        return digest;
    }

    /** Number of rules, including the few that only apply to a file path and so never fire on text. */
    public int size()
    {
        return rules.size();
    }

    List<SecretRule> rules()
    {
        return rules;
    }

    List<Allowlist> allowlists()
    {
        return allowlists;
    }

    @Override
    public String toString()
    {
        return source + " (" + rules.size() + " rules)";
    }

    /** Built on first use, then shared: parsing and compiling 220 rules takes a moment. */
    private static final class Defaults
    {
        static final String SOURCE;
        static final GitleaksConfig CONFIG;
        static final SecretRules RULES;

        static {
            try {
                SOURCE = resourceText("gitleaks-VERSION").lines()
                        .filter(line -> line.startsWith("source="))
                        .map(line -> line.substring("source=".length()))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("gitleaks-VERSION has no source= line"));
                GitleaksConfig gitleaks;
                GitleaksConfig tracewh;
                try (InputStream in = resource("gitleaks.toml")) {
                    gitleaks = GitleaksConfig.read("gitleaks.toml", in);
                }
                try (InputStream in = resource("tracewh-rules.toml")) {
                    tracewh = GitleaksConfig.read("tracewh-rules.toml", in);
                }
                CONFIG = tracewh.extend(gitleaks);
                RULES = CONFIG.build(SOURCE + " + tracewh-rules.toml");
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled secret rules", e);
            }
        }

        private static InputStream resource(String name)
        {
            InputStream in = SecretRules.class.getResourceAsStream(RESOURCES + name);
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCES + name + " is missing from the build");
            }
            return in;
        }

        private static String resourceText(String name)
                throws IOException
        {
            try (InputStream in = resource(name)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
