package dev.tracewh.format;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

    /** This process's environment; the home is {@code $HOME}, as the agents resolve it (Java's user.home ignores it). */
    public static Environment system()
    {
        return of(System.getenv(), System.getProperty("user.home"));
    }

    /** {@code variables} with the home they name, or {@code fallbackHome} when they name none. */
    public static Environment of(Map<String, String> variables, String fallbackHome)
    {
        String home = variables.get("HOME");
        return new Environment(Path.of(home == null || home.isBlank() ? fallbackHome : home), variables);
    }

    /** The folders a variable lists, separated by commas (blanks ignored); empty when it is unset or blank. */
    public Optional<List<Path>> folders(String name)
    {
        return variable(name).map(list -> Arrays.stream(list.split(",")).map(String::strip).filter(folder -> !folder.isEmpty()).map(Path::of).toList());
    }

    public Optional<String> variable(String name)
    {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
    }
}
