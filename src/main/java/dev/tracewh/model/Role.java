package dev.tracewh.model;

/** Chat roles of the trace contract. */
public enum Role
{
    SYSTEM, USER, ASSISTANT, TOOL;

    public String wireName()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
