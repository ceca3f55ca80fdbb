package dev.tracewh.secrets;

/** A secret rules file (gitleaks format) that cannot be used; the message names the file and the rule or line. */
public final class InvalidSecretRulesException
        extends IllegalArgumentException
{
    public InvalidSecretRulesException(String message)
    {
        super(message);
    }

    public InvalidSecretRulesException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
