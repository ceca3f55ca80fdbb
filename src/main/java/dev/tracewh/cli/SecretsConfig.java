package dev.tracewh.cli;

import dev.tracewh.secrets.InvalidSecretRulesException;
import dev.tracewh.secrets.SecretRules;

import java.io.IOException;
import java.nio.file.Path;

/** The rules {@code --secrets-config} names: a file that cannot be read or parsed is a usage error, before anything runs. */
final class SecretsConfig
{
    private SecretsConfig() {}

    /** The shipped rules when {@code file} is null, else the file's. */
    static SecretRules rules(Path file)
    {
        if (file == null) {
            return SecretRules.defaults();
        }
        try {
            return SecretRules.load(file);
        }
        catch (IOException e) {
            throw new UsageException("cannot read the secrets rules " + file + ": " + e.getMessage());
        }
        catch (InvalidSecretRulesException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
