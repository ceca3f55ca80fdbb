package dev.tracewh.distill;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

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
        List<String> names = ShippedFiles.names(FOLDER, ".sql");
        if (names.isEmpty()) {
            throw new IllegalStateException("no judges on the classpath under " + FOLDER);
        }
        return names.stream().map(name -> builtIn(name).orElseThrow()).toList();
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
