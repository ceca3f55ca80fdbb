package dev.tracewh.load;

import dev.tracewh.testing.TestDatabase;

class H2SecretsTest
        extends SecretsContract
{
    @Override
    protected TestDatabase.Kind kind()
    {
        return TestDatabase.Kind.H2;
    }
}
