package dev.tracewh.distill;

import dev.tracewh.testing.TestDatabase;
import org.junit.jupiter.api.Tag;

@Tag("postgres")
class PostgresLlmJudgeTest
        extends LlmJudgeContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
