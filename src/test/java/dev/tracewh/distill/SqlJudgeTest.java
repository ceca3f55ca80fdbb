package dev.tracewh.distill;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlJudgeTest
{
    @Test
    void shippedJudgesHaveNamesDescriptionsAndOneStatement()
    {
        List<SqlJudge> judges = SqlJudge.builtIn();
        assertEquals(List.of("ends_with_answer", "has_user_task", "tokens_per_tool_call", "tool_error_rate"), judges.stream().map(SqlJudge::name).toList());
        for (SqlJudge judge : judges) {
            assertFalse(judge.description().isBlank(), judge.name());
            assertFalse(judge.sql().endsWith(";"), judge.name());
            assertEquals("builtin:" + judge.name(), judge.source());
            assertTrue(judge.sqlSha256().matches("[0-9a-f]{64}"), judge.name());
        }
    }

    @Test
    void unknownJudgeIsEmpty()
    {
        assertTrue(SqlJudge.builtIn("no_such_judge").isEmpty());
    }
}
