package dev.tracewh.format;

import dev.tracewh.model.ParseIssue;
import dev.tracewh.model.ParsedFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A file read whole, for formats that keep one JSON document per file (ATIF, Hermes snapshots, Amp threads, Gemini
 * CLI's JSON chats): its bytes up to {@code --max-line-bytes}, hashed as read, the hash of the first
 * {@code ReadOptions.checkpointBytes} when asked, and the JSON escapes no warehouse can store replaced (counted).
 * A larger document is consumed and hashed but not kept: {@link #bytes} is null.
 */
public record WholeDocument(byte[] bytes, long consumedBytes, String consumedSha256, String checkpointSha256, int replacedCharacters)
{
    public static final String DOCUMENT_TOO_LARGE = "document_too_large";

    public WholeDocument
    {
        requireNonNull(consumedSha256, "consumedSha256 is null");
    }

    public static WholeDocument read(InputStream input, ReadOptions options)
            throws IOException
    {
        MessageDigest digest = sha256();
        DigestInputStream hashed = new DigestInputStream(input, digest);
        int limit = limit(options);
        byte[] bytes = hashed.readNBytes(limit + 1);
        if (bytes.length > limit) {
            long consumed = bytes.length + hashed.transferTo(OutputStream.nullOutputStream());
            return new WholeDocument(null, consumed, HexFormat.of().formatHex(digest.digest()), null, 0);
        }
        String checkpointSha256 = null;
        long bytesAsked = options.checkpointBytes();
        if (bytesAsked > 0 && bytesAsked <= bytes.length) {
            MessageDigest prefix = sha256();
            prefix.update(bytes, 0, (int) bytesAsked);
            checkpointSha256 = HexFormat.of().formatHex(prefix.digest());
        }
        int replaced = UnstorableEscapes.replace(bytes, 0, bytes.length);
        return new WholeDocument(bytes, bytes.length, HexFormat.of().formatHex(digest.digest()), checkpointSha256, replaced);
    }

    public boolean tooLarge()
    {
        return bytes == null;
    }

    /**
     * What a document over the limit yields: no trace, and an issue naming it ({@code what}: "the document", "the
     * thread"), after the issues already found.
     */
    public ParsedFile tooLargeFile(String what, ReadOptions options, List<ParseIssue> issues)
    {
        issues.add(new ParseIssue(0, DOCUMENT_TOO_LARGE, "%s of %,d bytes is larger than the limit of %,d bytes (--max-line-bytes): not loaded"
                .formatted(what, consumedBytes, limit(options)), null));
        return new ParsedFile(List.of(), issues, consumedBytes, consumedSha256, null, 0);
    }

    private static int limit(ReadOptions options)
    {
        return (int) Math.min(options.maxLineBytes(), Integer.MAX_VALUE - 16);
    }

    private static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
