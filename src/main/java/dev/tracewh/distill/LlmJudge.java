package dev.tracewh.distill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A judge asked of an LLM: a prompt template ({@code NAME.prompt.md}, with {@code {{column}}} placeholders filled from
 * a row of {@code v_trace_digest_input}) and the JSON schema of its answer ({@code NAME.schema.json} next to it; its
 * {@code description} is the judge's). The shipped ones are {@code db/judges/llm/} on the classpath; a user adds one
 * by copying the two files and passing the prompt file.
 */
public record LlmJudge(String name, String prompt, AnswerSchema schema, String source)
{
    static final String PROMPT_SUFFIX = ".prompt.md";
    static final String SCHEMA_SUFFIX = ".schema.json";
    private static final String FOLDER = "db/judges/llm/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_][a-z0-9_]*)\\s*}}");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public LlmJudge
    {
        requireNonNull(name, "name is null");
        requireNonNull(prompt, "prompt is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(source, "source is null");
    }

    /** What the judge is for: its schema's {@code description}. */
    public String description()
    {
        return schema.description();
    }

    /** The shipped LLM judges, by name. */
    public static List<LlmJudge> builtIn()
    {
        return ShippedFiles.names(FOLDER, PROMPT_SUFFIX).stream().map(name -> builtIn(name).orElseThrow()).toList();
    }

    /** The shipped LLM judge of this name. */
    public static Optional<LlmJudge> builtIn(String name)
    {
        ClassLoader loader = LlmJudge.class.getClassLoader();
        try (InputStream prompt = loader.getResourceAsStream(FOLDER + name + PROMPT_SUFFIX);
                InputStream schema = loader.getResourceAsStream(FOLDER + name + SCHEMA_SUFFIX)) {
            if (prompt == null || schema == null) {
                return Optional.empty();
            }
            return Optional.of(of(name, new String(prompt.readAllBytes(), StandardCharsets.UTF_8),
                    new String(schema.readAllBytes(), StandardCharsets.UTF_8), FOLDER + name + SCHEMA_SUFFIX, "builtin:llm/" + name));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the LLM judge " + name + ": " + e.getMessage(), e);
        }
    }

    /** A judge from its prompt file {@code NAME.prompt.md}, whose schema is {@code NAME.schema.json} beside it. */
    public static LlmJudge fromFile(Path promptFile)
            throws IOException
    {
        String fileName = promptFile.getFileName().toString();
        if (!fileName.endsWith(PROMPT_SUFFIX)) {
            throw new IllegalArgumentException("an LLM judge's prompt file is named NAME" + PROMPT_SUFFIX + ": " + promptFile);
        }
        String name = fileName.substring(0, fileName.length() - PROMPT_SUFFIX.length());
        Path schemaFile = promptFile.resolveSibling(name + SCHEMA_SUFFIX);
        if (!Files.isRegularFile(schemaFile)) {
            throw new IllegalArgumentException("the LLM judge " + promptFile + " needs its answer schema " + schemaFile);
        }
        return of(name, Files.readString(promptFile, StandardCharsets.UTF_8), Files.readString(schemaFile, StandardCharsets.UTF_8),
                schemaFile.toString(), "file:" + promptFile.toAbsolutePath().normalize());
    }

    /** {@code schemaOrigin} names the schema's file in errors. */
    private static LlmJudge of(String name, String prompt, String schemaText, String schemaOrigin, String source)
    {
        JsonNode schema;
        try {
            schema = MAPPER.readTree(schemaText);
        }
        catch (IOException e) {
            throw new IllegalArgumentException("the answer schema " + schemaOrigin + " is not JSON: " + e.getMessage(), e);
        }
        return new LlmJudge(name, prompt.strip(), AnswerSchema.of(schemaOrigin, schema), source);
    }

    /** The columns the prompt names, in order of first use. */
    Set<String> placeholders()
    {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(prompt);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The prompt with each placeholder replaced by its column's text ("(none)" for a null). */
    String render(Map<String, String> columns)
    {
        Matcher matcher = PLACEHOLDER.matcher(prompt);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            String value = columns.get(matcher.group(1));
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(value == null ? "(none)" : value));
        }
        matcher.appendTail(rendered);
        return rendered.toString();
    }

    /** SHA-256 of the prompt template and the answer schema, recorded with each run: which judge produced it. */
    public String promptSha256()
    {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(prompt.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(schema.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
