package dev.tracewh.devtools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CcusageBaselineTest
{
    @TempDir
    Path directory;

    @Test
    void runsTheDailyReportOverTheCorpusAsItsClaudeConfigFolder()
            throws IOException, InterruptedException
    {
        Path calls = directory.resolve("calls.txt");
        Path ccusage = script("""
                printf '%%s %%s %%s\\n' "$1" "$2" "$CLAUDE_CONFIG_DIR" > %s
                echo 'a table nobody reads'
                """.formatted(calls));
        Path corpus = Files.createDirectories(directory.resolve("corpus/projects"));

        CcusageBaseline.Result result = new CcusageBaseline(ccusage).run(corpus.getParent(), 2_000_000);

        assertEquals("daily --offline " + corpus.getParent().toAbsolutePath(), Files.readString(calls).strip());
        assertEquals(2_000_000, result.bytes());
        assertTrue(result.seconds() > 0, "seconds: " + result.seconds());
    }

    @Test
    void aFailedRunNamesItsExitCodeAndErrorOutput()
            throws IOException
    {
        Path ccusage = script("""
                echo 'no projects found' >&2
                exit 3
                """);

        IOException failure = assertThrows(IOException.class, () -> new CcusageBaseline(ccusage).run(directory, 1));

        assertTrue(failure.getMessage().contains("exit code 3") && failure.getMessage().contains("no projects found"), failure.getMessage());
    }

    private Path script(String body)
            throws IOException
    {
        Path script = directory.resolve("ccusage");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
