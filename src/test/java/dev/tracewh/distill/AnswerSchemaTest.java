package dev.tracewh.distill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An answer checked against its judge's schema, each problem with the path of what fails it. */
class AnswerSchemaTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SCHEMA = """
            {"type": "object",
             "properties": {
               "value": {"type": "string", "enum": ["high", "medium", "low"], "x-tracewh-explanation": "notes"},
               "score": {"type": "integer", "minimum": 0, "maximum": 4},
               "steps": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
               "either": {"type": ["string", "null"]},
               "notes": {"type": "string", "minLength": 3}
             },
             "required": ["value", "score"],
             "additionalProperties": false}""";

    @Test
    void aConformingAnswerHasNoProblems()
            throws IOException
    {
        assertEquals(List.of(), problems("{\"value\": \"high\", \"score\": 4, \"steps\": [\"a\"], \"either\": null}"));
        assertEquals(List.of(), problems("{\"value\": \"low\", \"score\": 0.0, \"either\": \"text\", \"notes\": \"fine\"}"));
    }

    @Test
    void eachProblemNamesItsPath()
            throws IOException
    {
        assertEquals(List.of("$: array found, object expected"), problems("[]"));
        assertEquals(List.of("$: required property 'score' not found"), problems("{\"value\": \"high\"}"));
        assertEquals(List.of("$.value: does not have a value in the enumeration [\"high\", \"medium\", \"low\"]"),
                problems("{\"value\": \"great\", \"score\": 1}"));
        assertEquals(List.of("$.score: must have a maximum value of 4"), problems("{\"value\": \"high\", \"score\": 5}"));
        assertEquals(List.of("$.score: number found, integer expected"), problems("{\"value\": \"high\", \"score\": 2.5}"));
        assertEquals(List.of("$.steps[1]: integer found, string expected"), problems("{\"value\": \"high\", \"score\": 2, \"steps\": [\"a\", 3]}"));
        assertEquals(List.of("$: property 'extra' is not defined in the schema and the schema does not allow additional properties"),
                problems("{\"value\": \"high\", \"score\": 2, \"extra\": 1}"));
    }

    @Test
    void keywordsBeyondTypesAndRangesAreChecked()
            throws IOException
    {
        assertEquals(1, problems("{\"value\": \"high\", \"score\": 2, \"steps\": [\"a\", \"b\", \"c\"]}").size());
        assertEquals(1, problems("{\"value\": \"high\", \"score\": 2, \"notes\": \"ok\"}").size());
    }

    @Test
    void theProjectsOwnKeywordExplainsAScoreAndIsNotSent()
            throws IOException
    {
        AnswerSchema schema = AnswerSchema.of("test", MAPPER.readTree(SCHEMA));
        assertEquals("notes", schema.explanationOf("value").orElseThrow());
        assertTrue(schema.explanationOf("score").isEmpty());
        assertFalse(schema.forEndpoint().toString().contains("x-tracewh"));
        assertTrue(schema.json().toString().contains("x-tracewh-explanation"));
    }

    @Test
    void anInvalidSchemaIsRefusedNamingItsFile()
    {
        IllegalArgumentException notAnObject = assertThrows(IllegalArgumentException.class,
                () -> AnswerSchema.of("judges/mine.schema.json", MAPPER.readTree("{\"type\": \"array\"}")));
        assertEquals("the answer schema judges/mine.schema.json must be of type object", notAnObject.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> AnswerSchema.of("judges/mine.schema.json", MAPPER.readTree("{\"type\": \"object\", \"properties\": {\"n\": {\"minimum\": \"zero\"}}}")));
        assertTrue(invalid.getMessage().startsWith("the answer schema judges/mine.schema.json is not a valid JSON Schema: "), invalid.getMessage());
    }

    @Test
    void theShippedSchemasAcceptTheirOwnShape()
            throws IOException
    {
        AnswerSchema quality = LlmJudge.builtIn("sft-quality").orElseThrow().schema();
        String rubric = "{\"reasoning\": \"r\", \"score\": 4}";
        JsonNode answer = MAPPER.readTree("{\"groundedness\": %s, \"standalone_task\": %s, \"response_quality\": %s, \"faithfulness\": %s, \"training_utility\": %s}"
                .formatted(rubric, rubric, rubric, rubric, rubric));
        assertEquals(List.of(), quality.problems(answer));
        assertEquals(List.of("$.groundedness.score: must have a maximum value of 4"),
                quality.problems(MAPPER.readTree(answer.toString().replaceFirst("\"score\":4", "\"score\":7"))));
    }

    private static List<String> problems(String answer)
            throws IOException
    {
        return AnswerSchema.of("test", MAPPER.readTree(SCHEMA)).problems(MAPPER.readTree(answer));
    }
}
