package dev.tracewh.format.codex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewh.format.JsonFields;
import dev.tracewh.model.ContentBlock;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The {@code output} of a {@code function_call_output} or {@code custom_tool_call_output}, decoded.
 * {@code content} is what the model was shown (the raw string, or the blocks of an array output);
 * {@code resultText} is the tool's own output: the inner {@code output} of the JSON-encoded exec form
 * {@code {"output":…,"metadata":{"exit_code":…,"duration_seconds":…}}}, else the raw text.
 */
record ToolOutput(List<ContentBlock> content, String resultText, Long exitCode, Double durationSeconds)
{
    // Plain-text exec results carry a header before an "Output:" line: "Exit code: N" / "Wall time: X seconds"
    // (shell_command) or "Chunk ID / Wall time / Process exited with code N" (unified exec).
    private static final Pattern OUTPUT_LINE = Pattern.compile("^Output:$", Pattern.MULTILINE);
    private static final Pattern EXIT_CODE = Pattern.compile("^(?:Exit code:|Process exited with code) (-?\\d+)$", Pattern.MULTILINE);
    private static final Pattern WALL_TIME = Pattern.compile("^Wall time: (\\d+(?:\\.\\d+)?) seconds$", Pattern.MULTILINE);

    ToolOutput
    {
        content = List.copyOf(content);
    }

    /** A non-zero exit code is an error; Codex serializes no other success flag. */
    boolean isError()
    {
        return exitCode != null && exitCode != 0;
    }

    static ToolOutput decode(JsonNode output, ObjectMapper mapper)
    {
        requireNonNull(mapper, "mapper is null");
        if (output == null || output.isNull()) {
            return new ToolOutput(List.of(), null, null, null);
        }
        if (output.isArray()) {
            return fromBlocks(output);
        }
        String raw = output.isTextual() ? output.textValue() : output.toString();
        List<ContentBlock> content = List.of(ContentBlock.text(raw));
        JsonNode encoded = encodedExecOutput(raw, mapper);
        if (encoded != null) {
            JsonNode inner = encoded.get("output");
            JsonNode metadata = encoded.get("metadata");
            JsonNode exitCode = metadata.get("exit_code");
            JsonNode duration = metadata.get("duration_seconds");
            return new ToolOutput(content,
                    inner.isTextual() ? inner.textValue() : inner.isNull() ? null : inner.toString(),
                    exitCode != null && exitCode.canConvertToLong() ? exitCode.longValue() : null,
                    duration != null && duration.isNumber() ? duration.doubleValue() : null);
        }
        String header = raw;
        Matcher outputLine = OUTPUT_LINE.matcher(raw);
        if (outputLine.find()) {
            // only the header: the command's own output may print anything
            header = raw.substring(0, outputLine.start());
        }
        Matcher exitCode = EXIT_CODE.matcher(header);
        Matcher wallTime = WALL_TIME.matcher(header);
        return new ToolOutput(content, raw,
                exitCode.find() ? parseExitCode(exitCode.group(1)) : null,
                wallTime.find() ? Double.valueOf(wallTime.group(1)) : null);
    }

    /** The object of a JSON-encoded exec result, or null when {@code raw} is not one. */
    private static JsonNode encodedExecOutput(String raw, ObjectMapper mapper)
    {
        if (!raw.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(raw);
            return node != null && node.isObject() && node.has("output") && JsonFields.object(node, "metadata") != null ? node : null;
        }
        catch (JsonProcessingException notJson) {
            return null;
        }
    }

    /** The exit code, or null when it is beyond a long: the result's text keeps it. */
    private static Long parseExitCode(String digits)
    {
        try {
            return Long.valueOf(digits);
        }
        catch (NumberFormatException beyondALong) {
            return null;
        }
    }

    /** Array outputs (tools that returned images): input_text and input_image items. */
    private static ToolOutput fromBlocks(JsonNode items)
    {
        List<ContentBlock> content = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (JsonNode item : items) {
            ContentBlock block = ContentItems.toBlock(item);
            if (block != null) {
                content.add(block);
                if (block.isText()) {
                    texts.add(block.text());
                }
            }
        }
        return new ToolOutput(content, texts.isEmpty() ? null : String.join("\n\n", texts), null, null);
    }
}
