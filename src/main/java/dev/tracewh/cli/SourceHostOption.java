package dev.tracewh.cli;

import dev.tracewh.load.LoadOptions;
import picocli.CommandLine.Option;

/** The {@code --source-host} option of the commands that look at source files on this machine's disk. */
final class SourceHostOption
{
    @Option(names = "--source-host", paramLabel = "NAME",
            description = "The machine the session files are read on: a file is its host and its path, so machines that share a warehouse "
                    + "keep their own file states. Default: $TRACEWH_SOURCE_HOST, else this machine's host name.")
    String sourceHost;

    String resolve()
    {
        String name = sourceHost != null ? sourceHost : System.getenv("TRACEWH_SOURCE_HOST");
        if (name == null || name.isBlank()) {
            return LoadOptions.thisMachine();
        }
        if (name.length() > LoadOptions.MAX_SOURCE_HOST_LENGTH) {
            throw new UsageException("--source-host takes at most " + LoadOptions.MAX_SOURCE_HOST_LENGTH + " characters");
        }
        return name.strip();
    }
}
