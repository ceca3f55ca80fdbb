package dev.tracewh.secrets;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.secrets.PlantedSecrets.Planted;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default rules on planted secrets, redaction, JSON text, and text that must not fire. */
class SecretScannerTest
{
    private static final SecretScanner SCANNER = new SecretScanner(SecretRules.defaults());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long[] SEEDS = {1, 2, 3, 42, 20260722};

    @Test
    void plantsAtLeastTwentyFourKinds()
    {
        Set<String> kinds = new PlantedSecrets(1).all().stream().map(Planted::ruleId).collect(Collectors.toSet());
        assertTrue(kinds.size() >= 24, kinds.toString());
    }

    @Test
    void eachPlantedSecretIsFoundByItsRuleAtItsPlace()
    {
        for (long seed : SEEDS) {
            for (Planted planted : new PlantedSecrets(seed).all()) {
                List<SecretFinding> findings = SCANNER.scan(planted.text());
                int start = planted.text().indexOf(planted.secret());
                SecretFinding finding = findings.stream().filter(candidate -> candidate.start() == start).findFirst()
                        .orElseThrow(() -> new AssertionError("seed %d, %s: no finding at the secret in %s: %s".formatted(seed, planted.ruleId(), planted.text(), findings)));
                assertEquals(planted.ruleId(), finding.ruleId(), planted.text());
                assertEquals(start + planted.secret().length(), finding.end(), planted.text());
                assertEquals(sha256(planted.secret()), finding.fingerprint());
                assertFalse(finding.description().isEmpty());
            }
        }
    }

    @Test
    void redactionReplacesEachSecretByItsPlaceholder()
    {
        for (long seed : SEEDS) {
            for (Planted planted : new PlantedSecrets(seed).all()) {
                Redaction redaction = SCANNER.redact(planted.text());
                assertTrue(redaction.changed());
                assertFalse(redaction.text().contains(planted.secret()), redaction.text());
                String placeholder = "[REDACTED:" + planted.ruleId() + "]";
                assertEquals(planted.text().replace(planted.secret(), placeholder), redaction.text());
                for (SecretFinding finding : redaction.findings()) {
                    assertEquals("[REDACTED:" + finding.ruleId() + "]", redaction.text().substring(finding.start(), finding.end()));
                }
            }
        }
    }

    @Test
    void allSecretsInOneTextComeInTextOrderWithoutOverlap()
    {
        List<Planted> all = new PlantedSecrets(7).all();
        String text = all.stream().map(Planted::text).collect(Collectors.joining("\n\nand then\n\n"));
        List<SecretFinding> findings = SCANNER.scan(text);
        for (Planted planted : all) {
            int start = text.indexOf(planted.secret());
            assertTrue(findings.stream().anyMatch(finding -> finding.start() == start && finding.end() == start + planted.secret().length()
                    && finding.ruleId().equals(planted.ruleId())), planted.ruleId());
        }
        for (int i = 1; i < findings.size(); i++) {
            assertTrue(findings.get(i - 1).end() <= findings.get(i).start(), findings.toString());
        }
        Redaction redaction = SCANNER.redact(text);
        for (Planted planted : all) {
            assertFalse(redaction.text().contains(planted.secret()), planted.ruleId());
        }
    }

    @Test
    void textWithoutSecretsIsReturnedAsItIs()
    {
        String text = new String("Run the tests, then update the password policy docs and rotate the api key next week.".toCharArray());
        Redaction redaction = SCANNER.redact(text);
        assertSame(text, redaction.text());
        assertFalse(redaction.changed());
        assertEquals(List.of(), SCANNER.scan(""));
    }

    @Test
    void secretsInsideJsonStringsAreFoundAtTheirEscapedSpan()
            throws Exception
    {
        for (long seed : SEEDS) {
            for (Planted planted : new PlantedSecrets(seed).all()) {
                ObjectNode arguments = JSON.createObjectNode();
                arguments.put("description", "run \"it\"\tnow");
                arguments.put("command", planted.text());
                arguments.put("timeout", 120000);
                String json = JSON.writeValueAsString(arguments);

                String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(planted.secret()));
                int start = json.indexOf(escaped);
                List<SecretFinding> findings = SCANNER.scanJson(json);
                assertTrue(findings.stream().anyMatch(finding -> finding.start() == start && finding.end() == start + escaped.length()
                        && finding.ruleId().equals(planted.ruleId())), "%s: %s in %s".formatted(planted.ruleId(), findings, json));

                Redaction redaction = SCANNER.redactJson(json);
                assertEquals(json.replace(escaped, "[REDACTED:" + planted.ruleId() + "]"), redaction.text());
                JsonNode parsed = JSON.readTree(redaction.text());
                assertEquals(SCANNER.redact(planted.text()).text(), parsed.get("command").asText());
                for (SecretFinding finding : redaction.findings()) {
                    assertEquals("[REDACTED:" + finding.ruleId() + "]", redaction.text().substring(finding.start(), finding.end()));
                }
            }
        }
    }

    @Test
    void aPrivateKeyWithEscapedLineBreaksIsFoundInJson()
            throws Exception
    {
        Planted key = new PlantedSecrets(5).all().stream().filter(planted -> planted.ruleId().equals("private-key")).findFirst().orElseThrow();
        String json = JSON.writeValueAsString(JSON.createObjectNode().put("content", key.text()));
        assertTrue(json.contains("\\n"));
        List<SecretFinding> findings = SCANNER.scanJson(json);
        assertEquals(1, findings.size(), findings.toString());
        assertEquals(new String(JsonStringEncoder.getInstance().quoteAsString(key.secret())), json.substring(findings.getFirst().start(), findings.getFirst().end()));
        assertEquals(sha256(key.secret()), findings.getFirst().fingerprint());
    }

    @Test
    void textThatIsNotJsonIsScannedAsItIs()
    {
        Planted planted = new PlantedSecrets(3).all().getFirst();
        String broken = "{\"command\": \"" + planted.text();
        assertEquals(SCANNER.scan(broken), SCANNER.scanJson(broken));
        assertEquals(SCANNER.redact(broken), SCANNER.redactJson(broken));
        assertTrue(SCANNER.redactJson(broken).changed());
    }

    @Test
    void jsonWithoutSecretsIsReturnedAsItIs()
    {
        String json = "{\"command\":\"git log --oneline\",\"token_count\":5,\"nested\":[\"key\",{\"password\":null}]}";
        assertSame(json, SCANNER.redactJson(json).text());
    }

    @Test
    void searchingNearKeywordsFindsWhatWholeTextSearchFinds()
    {
        // gitleaks runs a rule over the whole text; the scanner tries rules near their keywords only
        SecretScanner wholeText = new SecretScanner(SecretRules.defaults(), false);
        SplittableRandom random = new SplittableRandom(11);
        List<String> texts = new ArrayList<>();
        for (long seed : SEEDS) {
            List<Planted> all = new PlantedSecrets(seed).all();
            for (Planted planted : all) {
                texts.add(planted.text());
                texts.add("api key token secret password auth " + planted.text() + " key=" + all.get(random.nextInt(all.size())).text());
            }
            texts.add(all.stream().map(Planted::text).collect(Collectors.joining(" ")));
        }
        texts.add("API_KEY=abc\nSECRET_TOKEN=\nDB_PASSWORD=\nkey=value12345678abc token=\"tok_1234567890abcdef\" password: 'hunter2hunter2x'");
        texts.add("config.api_key = 'Zx8Kq2Lm5Np7Rt9Vw3Yb' and password => \"Xk29fLq8Zr4Wp7Qm\"\nauth_token ?= Zx8Kq2Lm5Np7Rt9Vw3Yb;\n"
                + "{\"secret\": \"Zx8Kq2Lm5Np7Rt9Vw3Yb\"} access-key:=Zx8Kq2Lm5Np7Rt9Vw3Yb, my.very.long.prefix.of.dotted.words.credentials || Zx8Kq2Lm5Np7Rt9Vw3Yb");
        for (String text : texts) {
            assertEquals(wholeText.scan(text), SCANNER.scan(text), text);
        }
    }

    @Test
    void hashesUuidsAndSignaturesInSentencesDoNotFire()
    {
        SplittableRandom random = new SplittableRandom(99);
        for (int i = 0; i < 200; i++) {
            String sha = hex(random, 40);
            String digest = hex(random, 64);
            String uuid = new UUID(random.nextLong(), random.nextLong()).toString();
            String signature = base64(random, 400);
            List<String> texts = List.of(
                    "Committed " + sha + " on main; the previous commit " + sha.substring(0, 7) + " is reverted.",
                    "git rev-parse HEAD printed " + sha,
                    "The file's sha256 is " + digest + " and matches the release notes.",
                    "sha256:" + digest,
                    "Session " + uuid + " resumed; request id " + uuid + ".",
                    "The thinking block ends with signature " + signature + " which the API verifies.",
                    signature);
            for (String text : texts) {
                assertEquals(List.of(), SCANNER.scan(text), text);
            }
        }
    }

    @Test
    void lowEntropySecretsDoNotFire()
    {
        assertEquals(List.of(), SCANNER.scan("token: ghp_" + "a".repeat(36)));
        assertEquals(List.of(), SCANNER.scan("export API_KEY=aaaaaaaaaaaaaaaaaaaa1"));
        assertEquals(List.of(), SCANNER.scan("DB_PASSWORD=${DB_PASSWORD}"));
        assertEquals(List.of(), SCANNER.scan("postgres://user:${PGPASSWORD}@localhost:5432/app"));
    }

    private static String hex(SplittableRandom random, int count)
    {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < count; i++) {
            hex.append("0123456789abcdef".charAt(random.nextInt(16)));
        }
        return hex.toString();
    }

    private static String base64(SplittableRandom random, int count)
    {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder base64 = new StringBuilder();
        for (int i = 0; i < count; i++) {
            base64.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return base64.append("==").toString();
    }

    static String sha256(String secret)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
