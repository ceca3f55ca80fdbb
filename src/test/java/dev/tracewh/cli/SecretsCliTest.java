package dev.tracewh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.cli.Cli.Run;
import dev.tracewh.secrets.PlantedSecrets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.tracewh.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code load --secrets}, {@code tracewh secrets} and the exports' redaction, as a user runs them. */
class SecretsCliTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path temp;

    private String db;
    private Path sessions;
    private List<PlantedSecrets.Planted> planted;

    @BeforeEach
    void writeSession()
            throws IOException
    {
        db = temp.resolve("warehouse").toString();
        sessions = Files.createDirectories(temp.resolve("projects/-home-dev-app"));
        planted = new PlantedSecrets(7).all().subList(0, 3);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < planted.size(); i++) {
            ObjectNode line = MAPPER.createObjectNode()
                    .put("type", "user")
                    .put("uuid", "u" + i)
                    .put("parentUuid", i == 0 ? null : "u" + (i - 1))
                    .put("sessionId", "11111111-2222-4333-8444-555555555555")
                    .put("timestamp", "2026-11-30T10:00:0" + i + "Z")
                    .put("cwd", "/home/dev/app");
            line.putObject("message").put("role", "user").put("content", "use " + planted.get(i).text());
            lines.append(line).append('\n');
        }
        ObjectNode answer = MAPPER.createObjectNode()
                .put("type", "assistant")
                .put("uuid", "a0")
                .put("parentUuid", "u" + (planted.size() - 1))
                .put("sessionId", "11111111-2222-4333-8444-555555555555")
                .put("timestamp", "2026-11-30T10:00:09Z")
                .put("cwd", "/home/dev/app");
        answer.putObject("message").put("id", "msg_1").put("role", "assistant").put("model", "claude-sonnet-4-5")
                .putArray("content").addObject().put("type", "text").put("text", "Done.");
        lines.append(answer).append('\n');
        Files.writeString(sessions.resolve("11111111-2222-4333-8444-555555555555.jsonl"), lines);
    }

    @Test
    void loadRedactsByDefaultAndSecretsSummarizesWithoutPrintingThem()
    {
        Run load = run("load", "--db", db, "--path", temp.resolve("projects").toString());
        assertEquals(0, load.exitCode(), load.err());
        assertTrue(load.err().contains("secrets   " + planted.size() + " found and redacted"), load.err());

        Run summary = run("secrets", "--db", db, "--by", "rule", "--csv");
        assertEquals(0, summary.exitCode(), summary.err());
        assertEquals("rule_id,findings,sessions,distinct_secrets,redacted", summary.out().lines().findFirst().orElseThrow());
        for (PlantedSecrets.Planted secret : planted) {
            assertTrue(summary.out().contains(secret.ruleId() + ",1,1,1,1"), summary.out());
        }
        assertNoSecretIn(load.all() + summary.all());

        Run byProject = run("secrets", "--db", db, "--by", "project,day", "--csv");
        assertTrue(byProject.out().contains("/home/dev/app,2026-11-30," + planted.size() + ",1," + planted.size() + "," + planted.size()), byProject.out());
    }

    @Test
    void exportsRedactWhatDetectModeStoredUnlessToldToKeepIt()
            throws IOException
    {
        Run load = run("load", "--db", db, "--path", temp.resolve("projects").toString(), "--secrets", "detect");
        assertEquals(0, load.exitCode(), load.err());
        assertTrue(load.err().contains("stored as they are (--secrets detect)"), load.err());

        Path redacted = temp.resolve("redacted.jsonl");
        Run export = run("export", "traces", "--db", db, "--out", redacted.toString());
        assertEquals(0, export.exitCode(), export.err());
        assertTrue(export.err().contains("redacted " + planted.size() + " secrets on the way out"), export.err());
        assertNoSecretIn(Files.readString(redacted));

        Path sft = temp.resolve("sft.jsonl");
        Run sftExport = run("export", "sft", "--db", db, "--out", sft.toString(), "--where", "message_count > 0");
        assertEquals(0, sftExport.exitCode(), sftExport.err());
        assertTrue(sftExport.err().contains("redacted " + planted.size() + " secrets on the way out"), sftExport.err());
        assertNoSecretIn(Files.readString(sft));

        Run contradiction = run("export", "traces", "--db", db, "--out", kept(), "--keep-secrets", "--secrets-config", "rules.toml");
        assertEquals(ExitCodes.USAGE, contradiction.exitCode(), contradiction.err());

        Path kept = temp.resolve("kept.jsonl");
        assertEquals(0, run("export", "traces", "--db", db, "--out", kept.toString(), "--keep-secrets").exitCode());
        assertTrue(Files.readString(kept).contains(planted.getFirst().secret()));
    }

    @Test
    void badModesAndRuleFilesAreUsageErrors()
            throws IOException
    {
        Run mode = run("load", "--db", db, "--path", temp.resolve("projects").toString(), "--secrets", "hide");
        assertEquals(ExitCodes.USAGE, mode.exitCode());
        assertTrue(mode.err().contains("--secrets takes redact, detect or off"), mode.err());

        Path rules = Files.writeString(temp.resolve("rules.toml"), "[[rules]]\nid = \"broken\"\nregex = '''([a-z'''\n");
        Run broken = run("load", "--db", db, "--path", temp.resolve("projects").toString(), "--secrets-config", rules.toString());
        assertEquals(ExitCodes.USAGE, broken.exitCode());
        assertTrue(broken.err().contains(rules.toString()) && broken.err().contains("broken"), broken.err());
        assertFalse(Files.exists(Path.of(db + ".mv.db")), "nothing is loaded with rules that do not parse");
    }

    private String kept()
    {
        return temp.resolve("never.jsonl").toString();
    }

    private void assertNoSecretIn(String text)
    {
        for (PlantedSecrets.Planted secret : planted) {
            assertFalse(text.contains(secret.secret()), secret.ruleId() + " printed or written");
        }
    }
}
