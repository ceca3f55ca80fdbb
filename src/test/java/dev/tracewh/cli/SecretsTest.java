package dev.tracewh.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The passwords a run knows of, and what is left of arguments and messages once they are taken out. */
class SecretsTest
{
    @Test
    void theArgumentsKeepEverythingButThePassword()
    {
        List<String> args = List.of("load", "--db", "jdbc:h2:file:/x;USER=sa;PASSWORD=s3cret", "--path", "/sessions");
        assertEquals("load --db jdbc:h2:file:/x;USER=sa;PASSWORD=*** --path /sessions", Secrets.of(args, Map.of()).arguments(args));

        List<String> libpq = List.of("load", "--db=postgresql://alice:s3cret%40x@db.example/traces", "--json");
        assertEquals("load --db=postgresql://alice:***@db.example/traces --json", Secrets.of(libpq, Map.of()).arguments(libpq));
    }

    @Test
    void aKnownPasswordIsTakenOutOfAnyText()
    {
        Secrets secrets = Secrets.of(List.of("runs", "--db", "postgresql://alice:s3cret%40x@db.example/traces"),
                Map.of("PGPASSWORD", "env-s3cret", "TRACEWH_DB", "jdbc:postgresql://h/db?password=tracewh-db-s3cret"));
        String redacted = secrets.redact("the driver said s3cret@x, env-s3cret, s3cret%40x and tracewh-db-s3cret");
        assertEquals("the driver said ***, ***, *** and ***", redacted);
        assertFalse(secrets.redact("Unknown option: '--DB', 'jdbc:postgresql://h/db?user=a&password=typo-s3cret'").contains("s3cret"));
    }
}
