package dev.tracewh.distill;

import dev.tracewh.testing.TestDatabase;

class H2DistillTest
        extends DistillContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
