package dev.tracewh.secrets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tracewh.testing.SharedFixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * False positives: every string value in the shared Claude Code and Codex fixtures (real sessions, which hold no
 * real secrets) is scanned with the default rules; the count per rule is printed.
 */
class SecretFixturesTest
{
    private static final SecretScanner SCANNER = new SecretScanner(SecretRules.defaults());
    private static final JsonFactory JSON = new JsonFactory();

    @Test
    void realSessionsHaveNoFindings()
            throws IOException
    {
        Map<String, Integer> perRule = new TreeMap<>();
        Map<String, Integer> perRuleInRawLines = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        int strings = 0;
        long chars = 0;
        for (Path file : files()) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                for (SecretFinding finding : SCANNER.scanJson(line)) {
                    perRuleInRawLines.merge(finding.ruleId(), 1, Integer::sum);
                }
                for (String value : stringValues(line)) {
                    strings++;
                    chars += value.length();
                    for (SecretFinding finding : SCANNER.scan(value)) {
                        perRule.merge(finding.ruleId(), 1, Integer::sum);
                        examples.add("%s in %s: %s".formatted(finding.ruleId(), file.getFileName(),
                                value.substring(Math.max(0, finding.start() - 30), Math.min(value.length(), finding.end() + 10))));
                    }
                }
            }
        }
        System.out.printf("secret findings in %d fixture strings (%d chars): %s; scanJson on the lines: %s%n", strings, chars, perRule, perRuleInRawLines);
        examples.forEach(System.out::println);
        assertEquals(Map.of(), perRule);
        assertEquals(perRule, perRuleInRawLines);
    }

    private static List<Path> files()
            throws IOException
    {
        List<Path> files = new ArrayList<>();
        for (String root : List.of("claude_code", "codex")) {
            try (Stream<Path> walk = Files.walk(SharedFixtures.path(root))) {
                walk.filter(Files::isRegularFile)
                        .filter(path -> path.toString().endsWith(".jsonl") || path.toString().endsWith(".json"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }

    /** The decoded string values of one JSON line, or the line itself when it is not JSON. */
    private static List<String> stringValues(String line)
            throws IOException
    {
        List<String> values = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(line)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.VALUE_STRING) {
                    values.add(parser.getText());
                }
            }
        }
        catch (com.fasterxml.jackson.core.JacksonException e) {
            return List.of(line);
        }
        return values;
    }
}
