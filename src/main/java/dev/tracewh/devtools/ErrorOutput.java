package dev.tracewh.devtools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** A child process's error output, read on another thread so that the child cannot block on a full pipe. */
final class ErrorOutput
{
    private ErrorOutput() {}

    static CompletableFuture<String> collect(Process process)
    {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                return "(cannot read its error output: " + e.getMessage() + ")";
            }
        });
    }
}
