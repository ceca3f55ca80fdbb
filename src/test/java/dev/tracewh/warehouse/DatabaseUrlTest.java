package dev.tracewh.warehouse;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@code --db}, {@code --schema} and their environment variables become a JDBC URL and a password kept apart from it. */
class DatabaseUrlTest
{
    private record Given(String url, String password) {}

    @Test
    void aPasswordInAnyFormLeavesTheUrlForTheDriversProperties()
    {
        List<Given> forms = List.of(
                new Given("jdbc:postgresql://db.example:5432/traces?user=alice&password=s3cret-one&sslmode=require", "s3cret-one"),
                new Given("jdbc:postgresql://alice:s3cret-two@db.example:5432/traces", "s3cret-two"),
                new Given("postgresql://alice:s3cret-three@db.example/traces?sslmode=require", "s3cret-three"),
                new Given("postgres://alice@db.example/traces?password=s3cret-four", "s3cret-four"),
                new Given("postgresql://alice:s3cret%40five@db.example/traces", "s3cret@five"),
                new Given("jdbc:postgresql://db.example/traces?user=alice&password=s3cret%26six", "s3cret&six"),
                new Given("jdbc:h2:file:/var/tracewh/warehouse;USER=sa;PASSWORD=s3cret-seven", "s3cret-seven"));
        for (Given given : forms) {
            DatabaseUrl url = DatabaseUrl.parse(given.url());
            assertEquals(given.password(), url.password(), given.url());
            for (String shown : List.of(url.jdbcUrl(), url.redacted(), url.toString(), url.display())) {
                assertFalse(shown.contains("s3cret"), shown);
            }
        }
    }

    @Test
    void aPersonReadsAnH2FilesPathAndAPostgresqlUrlWithoutItsPassword()
    {
        assertEquals("/home/you/.tracewh/warehouse (H2)", DatabaseUrl.parse("/home/you/.tracewh/warehouse").display());
        assertEquals("jdbc:postgresql://db.example/traces?user=alice&currentSchema=tracewh", DatabaseUrl.parse("postgresql://alice:s3cret@db.example/traces").display());
    }

    @Test
    void aPasswordHoldingASlashIsTheDriversAndNotPartOfTheUrl()
    {
        // base64 passwords hold '/', '+' and '=': the user info ends at the last '@', not at the first '/'
        for (String given : List.of("postgresql://tracewh:ab/cd+ef==@db.example/traces", "jdbc:postgresql://tracewh:ab/cd+ef==@db.example/traces")) {
            DatabaseUrl url = DatabaseUrl.parse(given);
            assertEquals("ab/cd+ef==", url.password(), given);
            assertFalse(url.jdbcUrl().contains("cd"), url.jdbcUrl());
            assertTrue(url.jdbcUrl().startsWith("jdbc:postgresql://db.example/traces"), url.jdbcUrl());
        }
    }

    @Test
    void redactClearsWhatReadsAsAPasswordInAnyText()
    {
        assertEquals("load --db jdbc:postgresql://h/db?user=a&password=***&ssl=true --path x",
                DatabaseUrl.redact("load --db jdbc:postgresql://h/db?user=a&password=p4ss&ssl=true --path x"));
        assertEquals("--db=postgresql://alice:***@db.example:5432/traces", DatabaseUrl.redact("--db=postgresql://alice:p@ss:w0rd@db.example:5432/traces"));
        assertEquals("jdbc:h2:file:/x;PASSWORD=***;USER=sa", DatabaseUrl.redact("jdbc:h2:file:/x;PASSWORD=p4ss;USER=sa"));
        assertEquals("jdbc:postgresql://127.0.0.1:5432/traces?user=alice", DatabaseUrl.redact("jdbc:postgresql://127.0.0.1:5432/traces?user=alice"));
    }

    @Test
    void aLibpqUrlBecomesTheJdbcUrlOfTheSameDatabase()
    {
        DatabaseUrl plain = DatabaseUrl.parse("postgres://alice@db.example:5433/traces");
        assertEquals(DatabaseUrl.Vendor.POSTGRESQL, plain.vendor());
        assertEquals("jdbc:postgresql://db.example:5433/traces?user=alice&currentSchema=tracewh", plain.jdbcUrl());
        assertNull(plain.password());

        DatabaseUrl full = DatabaseUrl.parse("postgresql://alice:pw@db.example/traces?sslmode=require&connect_timeout=5&application_name=nightly%20load");
        assertEquals("jdbc:postgresql://db.example/traces?user=alice&sslmode=require&connectTimeout=5&ApplicationName=nightly+load&currentSchema=tracewh",
                full.jdbcUrl());
        assertEquals("pw", full.password());

        assertEquals("jdbc:postgresql://localhost/traces?currentSchema=tracewh", DatabaseUrl.parse("postgresql:///traces").jdbcUrl());
        assertEquals("jdbc:postgresql://db1:5432,db2:5433/traces?user=bob&currentSchema=tracewh",
                DatabaseUrl.parse("postgresql://db1:5432,db2:5433/traces?user=bob").jdbcUrl());
    }

    @Test
    void urlsTracewhCannotUseAreRefusedWithoutShowingTheirPassword()
    {
        for (String url : List.of("mysql://alice:s3cret@db.example/traces", "https://example.com/warehouse", "jdbc:sqlite:/tmp/x.db",
                "postgresql://alice:s3cret@db.example/traces?no_such_setting=1", "postgresql://alice:s3cret@db.example/traces?dbname=other",
                "postgresql://alice:s3cret%zz@db.example/traces", "/tmp/warehouse;INIT=runscript from 'x'")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(url), url);
            assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
        }
    }

    @Test
    void aPlainPathIsAnAbsoluteH2File()
    {
        String absolute = Path.of("mywh").toAbsolutePath().toString();
        assertTrue(DatabaseUrl.parse("mywh").jdbcUrl().startsWith("jdbc:h2:file:" + absolute + ";MODE=PostgreSQL;"), DatabaseUrl.parse("mywh").jdbcUrl());
        assertTrue(DatabaseUrl.parse("./mywh.mv.db").jdbcUrl().startsWith("jdbc:h2:file:" + absolute + ";"));
        assertTrue(DatabaseUrl.parse("~/.tracewh/other").jdbcUrl().startsWith("jdbc:h2:file:~/.tracewh/other;"));
        assertTrue(DatabaseUrl.parse("/var/tracewh/warehouse").jdbcUrl().startsWith("jdbc:h2:file:/var/tracewh/warehouse;"));
        assertEquals(DatabaseUrl.Vendor.H2, DatabaseUrl.parse("mywh").vendor());
    }

    @Test
    void thePostgresqlSchemaIsNamedByTheOptionTheUrlOrTheDefault()
    {
        DatabaseUrl byDefault = DatabaseUrl.parse("jdbc:postgresql://h/db?user=a");
        assertEquals("jdbc:postgresql://h/db?user=a&currentSchema=tracewh", byDefault.jdbcUrl());
        assertEquals(Optional.of("tracewh"), byDefault.schema());
        assertTrue(byDefault.schemaByDefault());

        DatabaseUrl inUrl = DatabaseUrl.parse("jdbc:postgresql://h/db?currentSchema=traces,public");
        assertEquals("jdbc:postgresql://h/db?currentSchema=traces,public", inUrl.jdbcUrl());
        assertEquals(Optional.of("traces"), inUrl.schema());
        assertFalse(inUrl.schemaByDefault());

        DatabaseUrl named = DatabaseUrl.parse("jdbc:postgresql://h/db", "team_traces");
        assertEquals("jdbc:postgresql://h/db?currentSchema=team_traces", named.jdbcUrl());
        assertFalse(named.schemaByDefault());
        assertEquals(Optional.of("traces"), DatabaseUrl.parse("jdbc:postgresql://h/db?currentSchema=traces", "traces").schema());

        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("jdbc:postgresql://h/db?currentSchema=traces", "tracewh"));
        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("jdbc:postgresql://h/db", "Team Traces"));
        assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("jdbc:postgresql://h/db?currentSchema=MyTraces"));

        assertEquals("jdbc:postgresql://h/db?user=a&currentSchema=public", byDefault.inSchema("public").jdbcUrl());
        assertFalse(byDefault.inSchema("public").schemaByDefault());

        DatabaseUrl h2 = DatabaseUrl.parse("jdbc:h2:mem:x", "team_traces");
        assertEquals(Optional.empty(), h2.schema());
        assertFalse(h2.jdbcUrl().contains("team_traces"));
    }

    @Test
    void resolveTakesTheOptionsThenTheEnvironment()
    {
        Map<String, String> environment = Map.of("TRACEWH_DB", "jdbc:postgresql://env/db?user=a", "TRACEWH_SCHEMA", "from_env", "PGPASSWORD", "from-environment");
        DatabaseUrl fromEnvironment = DatabaseUrl.resolve(null, null, environment);
        assertEquals("jdbc:postgresql://env/db?user=a&currentSchema=from_env", fromEnvironment.jdbcUrl());
        assertEquals("from-environment", fromEnvironment.password());

        DatabaseUrl fromOptions = DatabaseUrl.resolve("jdbc:postgresql://option/db?password=from-url", "from_option", environment);
        assertEquals("jdbc:postgresql://option/db?currentSchema=from_option", fromOptions.jdbcUrl());
        assertEquals("from-url", fromOptions.password());

        assertNull(DatabaseUrl.resolve("/tmp/warehouse", null, environment).password(), "PGPASSWORD is PostgreSQL's");
        assertEquals(DatabaseUrl.parse(DatabaseUrl.defaultPath(Map.of()).toString()).jdbcUrl(), DatabaseUrl.resolve(" ", null, Map.of()).jdbcUrl());
    }
}
