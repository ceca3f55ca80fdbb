package dev.tracewh.model;

import static java.util.Objects.requireNonNull;

/**
 * One block of a message's content. Text blocks carry their text; other blocks (images, documents) keep
 * only their type and media type, because their payload (base64) has no place in an SFT set or a warehouse row.
 */
public record ContentBlock(String type, String text, String mediaType)
{
    public ContentBlock
    {
        requireNonNull(type, "type is null");
    }

    public static ContentBlock text(String text)
    {
        return new ContentBlock("text", requireNonNull(text, "text is null"), null);
    }

    /** This block with other text (redacted text, say). */
    public ContentBlock withText(String text)
    {
        return new ContentBlock(type, text, mediaType);
    }

    public boolean isText()
    {
        return "text".equals(type);
    }
}
