package dev.tracewh.warehouse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The key of a token usage row: the first 8 bytes, big-endian, of the SHA-256 of the UTF-8 bytes of
 * {@code source_kind}, {@code response_id} and {@code request_id}, each pair separated by a zero byte, which stored
 * text never contains (see {@link TextSanitizer}), so different ids never hash the same bytes. Migration V9
 * computes the same in SQL for rows stored before it. Eight bytes instead of the three strings keep the key's
 * index small. SHA-256 is in both databases' SQL and makes collisions as rare as 64 bits allow (odds of about
 * 3 in 10^8 that a warehouse of a million responses has one); the loader fails a file whose response collides
 * rather than merge two responses.
 */
final class ResponseKey
{
    private ResponseKey() {}

    static long of(String sourceKind, String responseId, String requestId)
    {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] digest = sha256.digest((sourceKind + '\0' + responseId + '\0' + requestId).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest).getLong();
    }
}
