package dev.tracewh.cli;

import dev.tracewh.secrets.SecretFilter;
import dev.tracewh.secrets.SecretScanner;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** What an export does with secrets: redacts them on the way out, whatever mode they were loaded in, unless kept. */
final class ExportSecretsOptions
{
    @Option(names = "--keep-secrets", description = {
            "Write text as stored, secrets included. Without it every text is redacted on the way out "
                    + "([REDACTED:<rule id>]), also for sessions loaded with --secrets detect or off."})
    boolean keepSecrets;

    @Option(names = "--secrets-config", paramLabel = "FILE", description = "A gitleaks-format rules file to redact with instead of the shipped rules.")
    Path secretsConfig;

    SecretFilter filter()
    {
        if (keepSecrets) {
            if (secretsConfig != null) {
                throw new UsageException("--secrets-config names the rules to redact with, and --keep-secrets does not redact");
            }
            return SecretFilter.keepingSecrets();
        }
        return SecretFilter.redacting(SecretScanner.of(SecretsConfig.rules(secretsConfig)));
    }

    /** Says what the export redacted, so a user knows the file differs from the warehouse. */
    static void report(SecretFilter filter, PrintWriter err)
    {
        if (filter.redacted() > 0) {
            err.printf("redacted %,d secrets on the way out (--keep-secrets writes them as stored)%n", filter.redacted());
        }
    }
}
