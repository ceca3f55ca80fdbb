package dev.tracewh.load;

import static java.util.Objects.requireNonNull;

/**
 * A file the load refuses to write, whole: it would take stored rows with it (it shrank, its start changed, it holds
 * a session another file owns), or it could not be parsed within the load's limits. Recorded as an error of class
 * {@code errorClass}; the file's stored rows and state stay as they were.
 */
final class RejectedFileException
        extends Exception
{
    private final String errorClass;

    RejectedFileException(String errorClass, String message)
    {
        super(message);
        this.errorClass = requireNonNull(errorClass, "errorClass is null");
    }

    String errorClass()
    {
        return errorClass;
    }
}
