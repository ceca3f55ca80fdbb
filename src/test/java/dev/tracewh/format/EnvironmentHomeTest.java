package dev.tracewh.format;

import dev.tracewh.format.claudecode.ClaudeCodeFormat;
import dev.tracewh.format.codex.CodexFormat;
import dev.tracewh.format.copilot.CopilotFormat;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The agents' folders follow {@code $HOME}, as Claude Code and Codex do; Java's user.home is only a fallback. */
class EnvironmentHomeTest
{
    @Test
    void homeComesFromTheHomeVariable()
    {
        Environment environment = Environment.of(Map.of("HOME", "/home/ana"), "/somewhere/else");

        assertEquals(Path.of("/home/ana"), environment.home());
        assertEquals(List.of(Path.of("/home/ana/.claude/projects"), Path.of("/home/ana/.config/claude/projects")),
                new ClaudeCodeFormat().defaultRoots(environment));
        assertEquals(List.of(Path.of("/home/ana/.codex/sessions"), Path.of("/home/ana/.codex/archived_sessions")),
                new CodexFormat().defaultRoots(environment));
        assertEquals(List.of(Path.of("/home/ana/.copilot/session-state")), new CopilotFormat().defaultRoots(environment));
    }

    @Test
    void withoutHomeTheFallbackIsUsed()
    {
        assertEquals(Path.of("/fallback"), Environment.of(Map.of(), "/fallback").home());
        assertEquals(Path.of("/fallback"), Environment.of(Map.of("HOME", " "), "/fallback").home());
    }
}
