package dev.tracewh.format.codex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tracewh.model.ContentBlock;

import java.util.Locale;

import static dev.tracewh.format.JsonFields.text;

/** Codex content items ({@code input_text}, {@code output_text}, {@code input_image}) of messages and tool outputs. */
final class ContentItems
{
    private ContentItems() {}

    /** The item as a block, or null for another item type (refusal, …). */
    static ContentBlock toBlock(JsonNode item)
    {
        String type = text(item, "type");
        if ("input_text".equals(type) || "output_text".equals(type)) {
            String text = text(item, "text");
            return text == null ? null : ContentBlock.text(text);
        }
        if ("input_image".equals(type)) {
            return new ContentBlock("image", null, dataUrlMediaType(text(item, "image_url")));
        }
        return null;
    }

    /** "data:image/png;base64,…" gives "image/png"; a plain URL has no known media type. */
    private static String dataUrlMediaType(String url)
    {
        if (url == null || !url.startsWith("data:")) {
            return null;
        }
        int end = url.indexOf(';');
        if (end < 0) {
            end = url.indexOf(',');
        }
        return end <= "data:".length() ? null : url.substring("data:".length(), end).toLowerCase(Locale.ROOT);
    }
}
