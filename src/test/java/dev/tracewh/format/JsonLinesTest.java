package dev.tracewh.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewh.model.ParseIssue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonLinesTest
{
    private static final ObjectMapper MAPPER = JsonLines.newMapper();

    @Test
    void skippedTopLevelFieldsAreLeftOutAndEveryOtherValueIsWhatReadTreeMakes()
            throws IOException
    {
        String line = """
                {"type":"user","n":12,"big":12345678901234,"f":1.5,"t":true,"z":null,"dup":1,\
                "toolUseResult":{"file":{"content":"x\\ny","numLines":2},"toolUseResult":[1]},\
                "message":{"content":[{"type":"tool_result","toolUseResult":"kept when nested"}]},"list":[1,"two",{}],"dup":2}""";

        List<JsonNode> read = read(line + "\n", Set.of("toolUseResult")).nodes();

        ObjectNode expected = (ObjectNode) MAPPER.readTree(line);
        expected.remove("toolUseResult");
        assertEquals(List.of(expected), read);
        assertEquals("kept when nested", read.getFirst().at("/message/content/0/toolUseResult").asText());
        assertEquals(2, read.getFirst().get("dup").asInt());
    }

    @Test
    void skippedValuesAreStillCheckedAndLinesStillEndAfterTheirObject()
            throws IOException
    {
        Result result = read("""
                {"type":"user","toolUseResult":"unescaped\tcontrol character"}
                {"type":"user","toolUseResult":{"open":[1,2}}
                {"type":"user","toolUseResult":"fine"} trailing
                ["not", "an object"]
                {"type":"user","toolUseResult":"fine"}
                """, Set.of("toolUseResult"));

        assertEquals(List.of(1L, 2L, 3L, 4L), result.issues().stream().map(ParseIssue::lineNumber).toList());
        assertEquals(List.of(JsonLines.INVALID_JSON, JsonLines.INVALID_JSON, JsonLines.INVALID_JSON, JsonLines.NOT_AN_OBJECT),
                result.issues().stream().map(ParseIssue::errorClass).toList());
        assertEquals(List.of(MAPPER.readTree("{\"type\":\"user\"}")), result.nodes());
    }

    private record Result(List<JsonNode> nodes, List<ParseIssue> issues) {}

    private static Result read(String text, Set<String> skippedFields)
            throws IOException
    {
        JsonLines lines = new JsonLines(MAPPER, skippedFields, ReadOptions.DEFAULT);
        List<JsonNode> nodes = new ArrayList<>();
        lines.forEach(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), (node, line) -> nodes.add(node));
        return new Result(nodes, lines.issues());
    }
}
