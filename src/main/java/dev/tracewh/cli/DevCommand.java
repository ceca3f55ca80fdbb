package dev.tracewh.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "dev", mixinStandardHelpOptions = true,
        header = "Developer tools: synthetic corpora, load benchmarks and the shipped price list.",
        subcommands = {GenCorpusCommand.class, BenchCommand.class, PriceDefaultsCommand.class, CommandLine.HelpCommand.class})
final class DevCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
