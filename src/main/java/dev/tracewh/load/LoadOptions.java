package dev.tracewh.load;

import dev.tracewh.jsonl.JsonlReader;
import dev.tracewh.secrets.SecretRules;
import dev.tracewh.warehouse.LoadRunStore;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * How to load: {@code fullRefresh} re-reads unchanged files and puts back child rows lost since they were written;
 * {@code modifiedSince} (nullable) leaves out files last modified before it; {@code shard} limits the load to one
 * shard of the files; {@code waitForLock} waits for a concurrent load of the same scope instead of giving up;
 * {@code replaceChanged} lets a file that shrank or whose start changed replace its stored rows (by default such a
 * file is refused and its rows kept); {@code maxLineBytes} bounds the line a parser holds; {@code sourceHost} names
 * the machine the files are read on: a file is its host and its path, and a load marks missing only its host's files;
 * {@code secretsMode} says what is done with the secrets {@code secretRules} find in session text.
 */
public record LoadOptions(boolean fullRefresh, Instant modifiedSince, Shard shard, boolean waitForLock, boolean replaceChanged, long maxLineBytes,
                          String sourceHost, SecretsMode secretsMode, SecretRules secretRules)
{
    public static final int MAX_SOURCE_HOST_LENGTH = 255;
    public static final LoadOptions INCREMENTAL = new LoadOptions(false, null, Shard.ALL, false, false, JsonlReader.DEFAULT_MAX_LINE_BYTES, thisMachine(),
            SecretsMode.REDACT, SecretRules.defaults());
    public static final LoadOptions FULL_REFRESH = INCREMENTAL.withFullRefresh();

    public LoadOptions
    {
        requireNonNull(shard, "shard is null");
        requireNonNull(sourceHost, "sourceHost is null");
        requireNonNull(secretsMode, "secretsMode is null");
        requireNonNull(secretRules, "secretRules is null");
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        if (sourceHost.isBlank() || sourceHost.length() > MAX_SOURCE_HOST_LENGTH) {
            throw new IllegalArgumentException("a source host is 1 to " + MAX_SOURCE_HOST_LENGTH + " characters, not blank: '" + sourceHost + "'");
        }
    }

    /** This machine's host name, the default source host. */
    public static String thisMachine()
    {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    public LoadOptions withFullRefresh()
    {
        return new LoadOptions(true, modifiedSince, shard, waitForLock, replaceChanged, maxLineBytes, sourceHost, secretsMode, secretRules);
    }

    public LoadOptions withSourceHost(String sourceHost)
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, waitForLock, replaceChanged, maxLineBytes, sourceHost, secretsMode, secretRules);
    }

    public LoadOptions withShard(Shard shard)
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, waitForLock, replaceChanged, maxLineBytes, sourceHost, secretsMode, secretRules);
    }

    public LoadOptions withWaitForLock()
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, true, replaceChanged, maxLineBytes, sourceHost, secretsMode, secretRules);
    }

    public LoadOptions withModifiedSince(Instant modifiedSince)
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, waitForLock, replaceChanged, maxLineBytes, sourceHost, secretsMode, secretRules);
    }

    public LoadOptions withReplaceChanged()
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, waitForLock, true, maxLineBytes, sourceHost, secretsMode, secretRules);
    }

    /** How {@link #secretsStamp} names the rows of a file loaded before secrets were looked for: verbatim, as {@code off}. */
    static final String SECRETS_NOT_LOOKED_FOR = "off";

    /**
     * How the rows of a file loaded with these options store secrets, as {@code source_files} keeps it: the mode and,
     * when it looks for them, the rules' digest. A file stored otherwise is read again.
     */
    public String secretsStamp()
    {
        return secretsMode == SecretsMode.OFF ? SECRETS_NOT_LOOKED_FOR : secretsMode.wireName() + ":" + secretRules.digest();
    }

    /** The load's secrets mode and, when it looks for secrets, its rules, as load_runs records them. */
    public LoadRunStore.SecretsSetting secretsSetting()
    {
        return new LoadRunStore.SecretsSetting(secretsMode.wireName(), secretsMode == SecretsMode.OFF ? null : secretRules.source());
    }

    public LoadOptions withSecrets(SecretsMode secretsMode, SecretRules secretRules)
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, waitForLock, replaceChanged, maxLineBytes, sourceHost, secretsMode, secretRules);
    }

    public LoadOptions withMaxLineBytes(long maxLineBytes)
    {
        return new LoadOptions(fullRefresh, modifiedSince, shard, waitForLock, replaceChanged, maxLineBytes, sourceHost, secretsMode, secretRules);
    }
}
