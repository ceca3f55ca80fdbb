package dev.tracewh.cli;

import java.io.IOException;

/**
 * Standard output's reader went away ({@code tracewh sql ... | head}): the command stops, quietly and with exit
 * code 0, as the tools of a pipeline do when what follows them has read enough.
 */
final class ClosedOutputException
        extends IOException
{
    ClosedOutputException(Throwable cause)
    {
        super("standard output was closed", cause);
    }

    /** Whether {@code exception}, or what caused it, is a closed output. */
    static boolean causes(Throwable exception)
    {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClosedOutputException) {
                return true;
            }
        }
        return false;
    }

    /** Whether an I/O error writing to a pipe says that its reader has closed it (Linux, macOS, Windows). */
    static boolean closedPipe(IOException e)
    {
        String message = e.getMessage();
        return message != null && (message.contains("Broken pipe") || message.contains("pipe is being closed") || message.contains("pipe has been ended"));
    }
}
