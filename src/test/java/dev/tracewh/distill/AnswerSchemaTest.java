package dev.tracewh.distill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JSON Schema keywords an answer schema uses, each checked with the path of what fails it. */
class AnswerSchemaTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SCHEMA = """
            {"type": "object",
             "properties": {
               "value": {"type": "string", "enum": ["high", "medium", "low"]},
               "score": {"type": "integer", "minimum": 0, "maximum": 4},
               "steps": {"type": "array", "items": {"type": "string"}},
               "either": {"type": ["string", "null"]}
             },
             "required": ["value", "score"],
             "additionalProperties": false}""";

    @Test
    void aConformingAnswerHasNoProblems()
            throws IOException
    {
        assertEquals(List.of(), problems("{\"value\": \"high\", \"score\": 4, \"steps\": [\"a\"], \"either\": null}"));
        assertEquals(List.of(), problems("{\"value\": \"low\", \"score\": 0.0, \"either\": \"text\"}"));
    }

    @Test
    void eachKeywordIsChecked()
            throws IOException
    {
        assertEquals(List.of("$ must be of type object, found an array"), problems("[]"));
        assertEquals(List.of("$ lacks the required property score"), problems("{\"value\": \"high\"}"));
        assertEquals(List.of("$.value must be one of [\"high\",\"medium\",\"low\"], found \"great\""), problems("{\"value\": \"great\", \"score\": 1}"));
        assertEquals(List.of("$.score must be at most 4, found 5"), problems("{\"value\": \"high\", \"score\": 5}"));
        assertEquals(List.of("$.score must be at least 0, found -1"), problems("{\"value\": \"high\", \"score\": -1}"));
        assertEquals(List.of("$.score must be of type integer, found a number"), problems("{\"value\": \"high\", \"score\": 2.5}"));
        assertEquals(List.of("$.steps[1] must be of type string, found a number"), problems("{\"value\": \"high\", \"score\": 2, \"steps\": [\"a\", 3]}"));
        assertEquals(List.of("$.either must be of type [\"string\",\"null\"], found a number"), problems("{\"value\": \"high\", \"score\": 2, \"either\": 1}"));
        assertEquals(List.of("$ has the property extra, which the schema does not allow"), problems("{\"value\": \"high\", \"score\": 2, \"extra\": 1}"));
    }

    @Test
    void theShippedSchemasAcceptTheirOwnShape()
            throws IOException
    {
        JsonNode quality = LlmJudge.builtIn("sft-quality").orElseThrow().schema();
        String rubric = "{\"reasoning\": \"r\", \"score\": 4}";
        JsonNode answer = MAPPER.readTree("{\"groundedness\": %s, \"standalone_task\": %s, \"response_quality\": %s, \"faithfulness\": %s, \"training_utility\": %s}"
                .formatted(rubric, rubric, rubric, rubric, rubric));
        assertEquals(List.of(), AnswerSchema.problems(quality, answer));
        assertEquals(List.of("$.groundedness.score must be at most 4, found 7"),
                AnswerSchema.problems(quality, MAPPER.readTree(answer.toString().replaceFirst("\"score\":4", "\"score\":7"))));
    }

    private static List<String> problems(String answer)
            throws IOException
    {
        return AnswerSchema.problems(MAPPER.readTree(SCHEMA), MAPPER.readTree(answer));
    }
}
