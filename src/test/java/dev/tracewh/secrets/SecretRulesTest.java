package dev.tracewh.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading rule sets: the bundled defaults and a user's gitleaks-format file, with its allowlists and errors. */
class SecretRulesTest
{
    private static final String ACME_RULE = """
            [[rules]]
            id = "acme-token"
            description = "ACME internal token"
            regex = '''\\b(acme_[a-z0-9]{24})\\b'''
            entropy = 3.0
            keywords = ["acme_"]
            """;

    @TempDir
    Path directory;

    @Test
    void theDefaultsAreGitleaksRulesPlusOurs()
    {
        SecretRules defaults = SecretRules.defaults();
        assertEquals(223, defaults.size());
        assertTrue(defaults.source().startsWith("gitleaks 8.30.0-27 (b58d3f10) default rules"), defaults.source());
        assertTrue(defaults.rules().stream().anyMatch(rule -> rule.id().equals("url-password")));
    }

    @Test
    void everyDefaultRuleRunsWithJavaRegexAndMostNearTheirKeywords()
    {
        List<SecretRule> rules = SecretRules.defaults().rules().stream().filter(rule -> rule.pattern().isPresent()).toList();
        assertTrue(rules.stream().noneMatch(rule -> rule.pattern().get().engine() == RulePattern.Engine.RE2J));
        long nearKeywords = rules.stream().filter(SecretRule::scansText).filter(rule -> rule.pattern().get().windowed()).count();
        assertTrue(nearKeywords >= 200, "windowed: " + nearKeywords);
    }

    @Test
    void extendingTheDefaultsAddsARule()
            throws IOException
    {
        SecretScanner scanner = new SecretScanner(load("[extend]\nuseDefault = true\n\n" + ACME_RULE));
        String token = "acme_k3j9x0q7w2m5z8r1t4y6u0pb";
        assertEquals(List.of("acme-token"), ruleIds(scanner.scan("ACME=" + token + " ok")));
        assertEquals(List.of("github-pat"), ruleIds(scanner.scan("ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5")));
        assertTrue(scanner.rules().source().contains("on top of gitleaks"), scanner.rules().source());
        assertEquals(224, scanner.rules().size());
    }

    @Test
    void withoutExtendOnlyTheFilesRulesApply()
            throws IOException
    {
        SecretScanner scanner = new SecretScanner(load(ACME_RULE));
        assertEquals(1, scanner.rules().size());
        assertEquals(List.of(), scanner.scan("ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5"));
        assertEquals(List.of("acme-token"), ruleIds(scanner.scan("acme_k3j9x0q7w2m5z8r1t4y6u0pb")));
    }

    @Test
    void disabledRulesAndOverriddenRules()
            throws IOException
    {
        SecretScanner scanner = new SecretScanner(load("""
                [extend]
                useDefault = true
                disabledRules = ["github-pat"]

                [[rules]]
                id = "gitlab-pat"
                [[rules.allowlists]]
                regexTarget = "line"
                regexes = ['''MY-glpat-''']
                """));
        assertEquals(List.of(), scanner.scan("ghp_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5"));
        String gitlab = "glpat-" + "Zx8Kq2Lm5Np7Rt9Vw3Yb";
        assertEquals(List.of("gitlab-pat"), ruleIds(scanner.scan("token " + gitlab)));
        assertEquals(List.of(), scanner.scan("MY-glpat-token " + gitlab));
    }

    @Test
    void stopwordsAndRegexesAllowFindings()
            throws IOException
    {
        SecretScanner scanner = new SecretScanner(load(ACME_RULE + """
                [[rules.allowlists]]
                stopwords = ["Sample"]
                [[rules.allowlists]]
                regexTarget = "match"
                regexes = ['''^acme_0000''']
                [[rules.allowlists]]
                condition = "AND"
                regexTarget = "line"
                regexes = ['''fixture''']
                stopwords = ["zz"]
                """));
        assertEquals(List.of(), scanner.scan("acme_k3j9x0sample7w2m5z8r1t"));
        assertEquals(List.of(), scanner.scan("acme_0000x0q7w2m5z8r1t4y6u0"));
        // AND: the line mentions a fixture, but the secret has no "zz"
        assertEquals(List.of("acme-token"), ruleIds(scanner.scan("fixture acme_k3j9x0q7w2m5z8r1t4y6u0pb")));
        assertEquals(List.of(), scanner.scan("fixture acme_k3j9x0q7w2m5zzr1t4y6u0pb"));
        assertEquals(List.of("acme-token"), ruleIds(scanner.scan("acme_k3j9x0q7w2m5zzr1t4y6u0pb")));
    }

    @Test
    void globalAllowlistsApplyToAllOrToTheirTargetRules()
            throws IOException
    {
        String otherRule = """
                [[rules]]
                id = "other-token"
                regex = '''\\b(othr_[a-z0-9]{24})\\b'''
                keywords = ["othr_"]
                """;
        SecretScanner global = new SecretScanner(load(ACME_RULE + otherRule + "[allowlist]\nregexes = ['''7w2m5''']\n"));
        assertEquals(List.of(), global.scan("acme_k3j9x0q7w2m5z8r1t4y6u0pb othr_k3j9x0q7w2m5z8r1t4y6u0pb"));
        SecretScanner targeted = new SecretScanner(load(ACME_RULE + otherRule + "[[allowlists]]\ntargetRules = [\"other-token\"]\nregexes = ['''7w2m5''']\n"));
        assertEquals(List.of("acme-token"), ruleIds(targeted.scan("acme_k3j9x0q7w2m5z8r1t4y6u0pb othr_k3j9x0q7w2m5z8r1t4y6u0pb")));
    }

    @Test
    void entropyAtOrBelowTheThresholdIsNoFinding()
            throws IOException
    {
        SecretScanner scanner = new SecretScanner(load(ACME_RULE));
        assertEquals(List.of(), scanner.scan("acme_aaaaaaaaaaaaaaaaaaaaaaab"));
        assertEquals(List.of(), scanner.scan("acme_abababababababababababab"));
        assertEquals(1, scanner.scan("acme_k3j9x0q7w2m5z8r1t4y6u0pb").size());
    }

    @Test
    void secretGroupPicksThePart()
            throws IOException
    {
        SecretScanner scanner = new SecretScanner(load("""
                [[rules]]
                id = "pair"
                regex = '''(user)=(\\w+) (?P<the_secret>pw=\\w{8,})'''
                secretGroup = 3
                keywords = ["pw="]
                """));
        String text = "user=alice pw=Xk29fLq8";
        List<SecretFinding> findings = scanner.scan(text);
        assertEquals(1, findings.size());
        assertEquals("pw=Xk29fLq8", text.substring(findings.getFirst().start(), findings.getFirst().end()));
    }

    @Test
    void aBrokenFileNamesTheFileAndTheRule()
            throws IOException
    {
        Path file = write("broken.toml", ACME_RULE + """

                [[rules]]
                id = "broken-rule"
                regex = '''(unclosed[a-z'''
                keywords = ["unclosed"]
                """);
        InvalidSecretRulesException error = assertThrows(InvalidSecretRulesException.class, () -> SecretRules.load(file));
        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("broken-rule"), error.getMessage());
        assertTrue(error.getMessage().contains("line 9"), error.getMessage());

        Path group = write("group.toml", ACME_RULE.replace("entropy = 3.0", "secretGroup = 2"));
        error = assertThrows(InvalidSecretRulesException.class, () -> SecretRules.load(group));
        assertTrue(error.getMessage().contains("acme-token") && error.getMessage().contains("secretGroup"), error.getMessage());

        Path syntax = write("syntax.toml", ACME_RULE + "\n[[rules]\nid = 'x'\n");
        error = assertThrows(InvalidSecretRulesException.class, () -> SecretRules.load(syntax));
        assertTrue(error.getMessage().contains(syntax.toString()) && error.getMessage().contains("line"), error.getMessage());

        Path noId = write("noid.toml", "[[rules]]\nregex = 'x'\n");
        error = assertThrows(InvalidSecretRulesException.class, () -> SecretRules.load(noId));
        assertTrue(error.getMessage().contains("id is missing"), error.getMessage());
    }

    @Test
    void aRegexJavaCannotRunRunsWithRe2j()
            throws IOException
    {
        SecretRules rules = load("""
                [[rules]]
                id = "greek"
                regex = '''\\p{Greek}{3}-key-[0-9]{8}'''
                keywords = ["-key-"]
                """);
        assertEquals(RulePattern.Engine.RE2J, rules.rules().getFirst().pattern().orElseThrow().engine());
        String text = "code αβγ-key-12345678 done";
        List<SecretFinding> findings = new SecretScanner(rules).scan(text);
        assertEquals(1, findings.size());
        assertEquals("αβγ-key-12345678", text.substring(findings.getFirst().start(), findings.getFirst().end()));
    }

    @Test
    void aFileCanExtendAnotherFile()
            throws IOException
    {
        write("base.toml", ACME_RULE);
        Path own = write("own.toml", """
                [extend]
                path = "base.toml"

                [[rules]]
                id = "other-token"
                regex = '''\\b(othr_[a-z0-9]{24})\\b'''
                keywords = ["othr_"]
                """);
        SecretRules rules = SecretRules.load(own);
        assertEquals(2, rules.size());
        assertEquals(List.of("acme-token", "other-token"),
                ruleIds(new SecretScanner(rules).scan("acme_k3j9x0q7w2m5z8r1t4y6u0pb othr_k3j9x0q7w2m5z8r1t4y6u0pb")));
    }

    private SecretRules load(String toml)
            throws IOException
    {
        return SecretRules.load(write("rules.toml", toml));
    }

    private Path write(String name, String toml)
            throws IOException
    {
        return Files.writeString(directory.resolve(name), toml);
    }

    private static List<String> ruleIds(List<SecretFinding> findings)
    {
        return findings.stream().map(SecretFinding::ruleId).toList();
    }
}
