package dev.tracewh.distill;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A judge written in SQL: one SELECT returning {@code trace_id, name, value, label, explanation} (and optionally
 * {@code target_type, target_key} to score messages or tool calls). Its name is the file name without
 * {@code .sql}; its description is the text after a {@code -- description:} comment. The shipped judges are
 * {@code db/judges/*.sql} on the classpath (inside the jar).
 */
public record SqlJudge(String name, String description, String sql, String source)
{
    private static final String FOLDER = "db/judges/";
    private static final String DESCRIPTION = "-- description:";

    public SqlJudge
    {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(sql, "sql is null");
        requireNonNull(source, "source is null");
    }

    /** The shipped judges, by name. */
    public static List<SqlJudge> builtIn()
    {
        URL folder = SqlJudge.class.getClassLoader().getResource(FOLDER);
        if (folder == null) {
            throw new IllegalStateException("no judges on the classpath under " + FOLDER);
        }
        List<String> names = new ArrayList<>();
        try {
            URLConnection connection = folder.openConnection();
            if (connection instanceof JarURLConnection jar) {
                jar.setUseCaches(false);
                try (JarFile file = jar.getJarFile()) {
                    for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                        String entry = entries.nextElement().getName();
                        if (entry.startsWith(FOLDER) && entry.endsWith(".sql") && entry.indexOf('/', FOLDER.length()) < 0) {
                            names.add(entry.substring(FOLDER.length(), entry.length() - ".sql".length()));
                        }
                    }
                }
            }
            else {
                try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
                    files.map(file -> file.getFileName().toString())
                            .filter(file -> file.endsWith(".sql"))
                            .forEach(file -> names.add(file.substring(0, file.length() - ".sql".length())));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list the judges in " + folder + ": " + e.getMessage(), e);
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException("cannot list the judges in " + folder, e);
        }
        return names.stream().sorted(Comparator.naturalOrder()).map(name -> builtIn(name).orElseThrow()).toList();
    }

    /** The shipped judge of this name. */
    public static Optional<SqlJudge> builtIn(String name)
    {
        try (InputStream input = SqlJudge.class.getClassLoader().getResourceAsStream(FOLDER + name + ".sql")) {
            if (input == null) {
                return Optional.empty();
            }
            return Optional.of(of(name, new String(input.readAllBytes(), StandardCharsets.UTF_8), "builtin:" + name));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the judge " + name + ": " + e.getMessage(), e);
        }
    }

    /** A judge from a SQL file. */
    public static SqlJudge fromFile(Path file)
            throws IOException
    {
        String fileName = file.getFileName().toString();
        String name = fileName.endsWith(".sql") ? fileName.substring(0, fileName.length() - ".sql".length()) : fileName;
        return of(name, Files.readString(file, StandardCharsets.UTF_8), "file:" + file.toAbsolutePath().normalize());
    }

    private static SqlJudge of(String name, String text, String source)
    {
        String description = text.lines()
                .map(String::strip)
                .filter(line -> line.startsWith(DESCRIPTION))
                .map(line -> line.substring(DESCRIPTION.length()).strip())
                .findFirst()
                .orElse("");
        String sql = text.strip();
        if (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1);
        }
        return new SqlJudge(name, description, sql, source);
    }

    /** SHA-256 of the SQL that runs, recorded with each judge run. */
    public String sqlSha256()
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
