package dev.tracewh.cli;

import dev.tracewh.devtools.CorpusFormat;
import dev.tracewh.devtools.CorpusGenerator;
import dev.tracewh.devtools.DataSize;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "gen-corpus", mixinStandardHelpOptions = true,
        header = "Writes a synthetic session corpus for benchmarks.",
        description = {
                "Writes realistic sessions in the format's directory layout (Claude Code: DIR/projects/..., Codex: DIR/sessions/YYYY/MM/DD/...), "
                        + "byte for byte the same for the same seed, plus DIR/" + CorpusGenerator.MANIFEST + ".",
                "Sizes: KB, MB, GB (decimal) or KiB, MiB, GiB."})
final class GenCorpusCommand
        implements Callable<Integer>
{
    @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "claude_code or codex.")
    CorpusFormat format;

    @ArgGroup(multiplicity = "1")
    Size size;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the generator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder; must not exist or be empty.")
    Path out;

    @Spec
    CommandSpec spec;

    static final class Size
    {
        @Option(names = "--size", paramLabel = "SIZE", converter = SizeConverter.class, description = "Total size of the corpus, e.g. 1GB.")
        DataSize total;

        @Option(names = "--single-file-size", paramLabel = "SIZE", converter = SizeConverter.class,
                description = "Write one session of this size as a single file (no sub-agent files), e.g. 300MB.")
        DataSize singleFile;
    }

    @Override
    public Integer call()
            throws IOException
    {
        boolean singleFile = size.singleFile != null;
        long bytes = singleFile ? size.singleFile.bytes() : size.total.bytes();
        long startNanos = System.nanoTime();
        CorpusGenerator.Manifest manifest = CorpusGenerator.generate(new CorpusGenerator.Request(format, bytes, singleFile, seed), out);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        PrintWriter err = spec.commandLine().getErr();
        err.printf("wrote %,d sessions in %,d files, %,d lines, %.1f MB (requested %.1f MB) to %s in %.1f s (%.0f MB/s)%n",
                manifest.sessions(), manifest.files(), manifest.lines(), manifest.bytes() / 1e6, bytes / 1e6, out, seconds,
                manifest.bytes() / 1e6 / seconds);
        err.flush();
        return ExitCodes.SUCCESS;
    }

    static final class SizeConverter
            implements ITypeConverter<DataSize>
    {
        @Override
        public DataSize convert(String value)
        {
            return DataSize.parse(value);
        }
    }

    static final class FormatConverter
            implements ITypeConverter<CorpusFormat>
    {
        @Override
        public CorpusFormat convert(String value)
        {
            return CorpusFormat.fromId(value);
        }
    }
}
