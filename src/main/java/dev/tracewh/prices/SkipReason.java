package dev.tracewh.prices;

/** Why part of a price document was not imported; every skip is counted and reported. */
public enum SkipReason
{
    AND_RULE("entries with an 'and' match rule (not supported)"),
    INVALID_REGEX("entries whose regex does not compile"),
    TIME_OF_DAY("time-of-day prices (not modelled: the price without the constraint is kept)"),
    UNKNOWN_CONSTRAINT("prices with a constraint other than a start date or a time of day"),
    OTHER_PRICE("prices of other units or token kinds (audio, image, video, searches, requests, priority, flex, batch)"),
    INVALID_ENTRY("entries that are not valid");

    private final String description;

    SkipReason(String description)
    {
        this.description = description;
    }

    public String description()
    {
        return description;
    }
}
