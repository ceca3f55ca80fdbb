package dev.tracewh.distill;

import dev.tracewh.testing.TestDatabase;

class H2LlmJudgeTest
        extends LlmJudgeContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
