package dev.tracewh.format;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The user's home directory and environment variables, passed in so tests can point formats elsewhere. */
public record Environment(Path home, Map<String, String> variables)
{
    public Environment
    {
        requireNonNull(home, "home is null");
        variables = Map.copyOf(variables);
    }

    public static Environment system()
    {
        return new Environment(Path.of(System.getProperty("user.home")), System.getenv());
    }

    public Optional<String> variable(String name)
    {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }
}
