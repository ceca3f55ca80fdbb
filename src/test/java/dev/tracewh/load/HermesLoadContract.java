package dev.tracewh.load;

import dev.tracewh.format.hermes.HermesFormat;
import dev.tracewh.format.hermes.HermesStore;
import dev.tracewh.testing.WarehouseContract;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Hermes home loads into the warehouse: the store's sessions (not their JSON copies) and the files of sessions it
 * lacks; a WAL commit is noticed though state.db itself did not change; a compressed snapshot keeps the session it
 * continues; a session moves to a richer artifact without a duplicate error; per-model usage reaches v_usage_daily.
 */
public abstract class HermesLoadContract
        extends WarehouseContract
{
    @TempDir
    Path home;

    private final HermesFormat format = new HermesFormat(ZoneOffset.UTC);

    @Test
    void aHomeLoadsItsStoreAndTheFilesOfSessionsTheStoreLacksAndNoticesAWalCommit()
            throws IOException, SQLException
    {
        Path sessions = Files.createDirectories(home.resolve("sessions"));
        // the snapshot of a session the store holds is not read: the store's copy is the session
        Files.writeString(sessions.resolve("session_cli1.json"), "{\"session_id\": \"cli1\", \"messages\": [{\"role\": \"user\", \"content\": \"stale copy\"}]}");
        Files.writeString(sessions.resolve("gw1.jsonl"), """
                {"role":"session_meta","model":"hermes-4","platform":"telegram","timestamp":"2026-05-01T09:00:00"}
                {"role":"user","content":"hi","timestamp":"2026-05-01T09:00:01"}
                {"role":"assistant","content":"hello","timestamp":"2026-05-01T09:00:02"}
                """);
        Path db = home.resolve("state.db");
        try (HermesStore store = HermesStore.create(db, true)) {
            store.session("cli1", "cli", null, null, 1_777_000_000.0, null, null)
                    .message("cli1", "user", "build it", 1_777_000_001.0)
                    .message("cli1", "assistant", "built", 1_777_000_002.0)
                    .execute("INSERT INTO session_model_usage (session_id, model, input_tokens, output_tokens, cache_read_tokens, last_seen) "
                            + "VALUES ('cli1', 'model-a', 1000, 200, 3000, 1777000002.0)")
                    .execute("INSERT INTO session_model_usage (session_id, model, task, input_tokens, output_tokens, last_seen) "
                            + "VALUES ('cli1', 'model-b', 'compression', 400, 60, 1777000002.0)");

            LoadReport first = load();
            assertEquals(0, first.files().errors());
            assertEquals(2, first.files().loaded());
            assertEquals(List.of("cli1", "gw1"), dsl.fetch("select trace_id from sessions where source_kind = 'hermes_agent' order by trace_id")
                    .getValues(0, String.class));
            Record cli = dsl.fetchOne("select source_path, message_count, final_assistant_message from sessions where trace_id = 'cli1'");
            assertEquals(db.toRealPath().toString(), cli.get("source_path"));
            assertEquals(2, ((Number) cli.get("message_count")).intValue());
            assertEquals("built", cli.get("final_assistant_message"));
            assertEquals(2, ((Number) dsl.fetchOne("select message_count from sessions where trace_id = 'gw1'").get(0)).intValue());
            // two per-model rows of one day; the gateway session without an index has none
            Record daily = dsl.fetchOne("select sum(responses), sum(input_tokens), sum(cache_read_input_tokens), sum(output_tokens) from v_usage_daily "
                    + "where source_kind = 'hermes_agent'");
            assertEquals(List.of(2L, 1400L, 3000L, 260L), List.of(((Number) daily.get(0)).longValue(), ((Number) daily.get(1)).longValue(),
                    ((Number) daily.get(2)).longValue(), ((Number) daily.get(3)).longValue()));

            assertEquals(0, load().files().loaded(), "nothing changed");

            long size = Files.size(db);
            FileTime modified = Files.getLastModifiedTime(db);
            store.message("cli1", "user", "and test it", 1_777_000_010.0).message("cli1", "assistant", "tested", 1_777_000_011.0);
            assertEquals(size, Files.size(db), "a WAL commit leaves state.db as it was");
            assertEquals(modified, Files.getLastModifiedTime(db));
            LoadReport afterCommit = load();
            assertEquals(1, afterCommit.files().loaded(), "the -wal changed");
            assertEquals(0, afterCommit.files().errors());
            Record reloaded = dsl.fetchOne("select message_count, final_assistant_message from sessions where trace_id = 'cli1'");
            assertEquals(4, ((Number) reloaded.get(0)).intValue());
            assertEquals("tested", reloaded.get(1));
        }
    }

    @Test
    void aSnapshotRewrittenByACompressionKeepsTheSessionItContinues()
            throws IOException
    {
        Path snapshot = Files.createDirectories(home.resolve("sessions")).resolve("session_A.json");
        Files.writeString(snapshot, """
                {"session_id": "A", "messages": [{"role": "user", "content": "one"}, {"role": "assistant", "content": "two"}, {"role": "user", "content": "three"}]}
                """);
        assertEquals(0, load().files().errors());
        // the agent compressed A and continues as B in the same file
        Files.writeString(snapshot, """
                {"session_id": "B", "messages": [{"role": "user", "content": "[CONTEXT SUMMARY] one two three"}, {"role": "assistant", "content": "four"}]}
                """);
        Files.setLastModifiedTime(snapshot, FileTime.from(Instant.now().plusSeconds(5)));
        LoadReport report = load();
        assertEquals(0, report.files().errors());
        assertEquals(1, report.files().loaded());
        assertEquals(3, ((Number) dsl.fetchOne("select message_count from sessions where trace_id = 'A'").get(0)).intValue(), "A's rows are kept");
        assertEquals(3, ((Number) dsl.fetchOne("select count(*) from messages where trace_id = 'A'").get(0)).intValue());
        Record continuation = dsl.fetchOne("select root_session_id, message_count from sessions where trace_id = 'B'");
        assertEquals("A", continuation.get("root_session_id"));
        assertEquals(2, ((Number) continuation.get("message_count")).intValue());
    }

    @Test
    void aSessionMovesFromItsSnapshotToItsTranscriptAndThenToTheStore()
            throws IOException, SQLException
    {
        Path sessions = Files.createDirectories(home.resolve("sessions"));
        Files.writeString(sessions.resolve("session_X.json"), "{\"session_id\": \"X\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        assertEquals(0, load().files().errors());
        assertTrue(path("X").endsWith("session_X.json"));

        Files.writeString(sessions.resolve("X.jsonl"), """
                {"role":"user","content":"hi","timestamp":"2026-05-01T09:00:01"}
                {"role":"assistant","content":"hello","timestamp":"2026-05-01T09:00:02"}
                """);
        LoadReport report = load();
        assertEquals(0, report.files().errors(), "no duplicate_session: the transcript supersedes the snapshot");
        assertTrue(path("X").endsWith("X.jsonl"));
        assertEquals(2, ((Number) dsl.fetchOne("select message_count from sessions where trace_id = 'X'").get(0)).intValue());

        try (HermesStore store = HermesStore.create(home.resolve("state.db"), false)) {
            store.session("X", "telegram", null, null, 1_777_000_000.0, null, null)
                    .message("X", "user", "hi", 1_777_000_001.0)
                    .message("X", "assistant", "hello", 1_777_000_002.0)
                    .message("X", "user", "more", 1_777_000_003.0);
        }
        assertEquals(0, load().files().errors());
        assertTrue(path("X").endsWith("state.db"));
        assertEquals(3, ((Number) dsl.fetchOne("select message_count from sessions where trace_id = 'X'").get(0)).intValue());
        assertEquals(1, ((Number) dsl.fetchOne("select count(*) from sessions where source_kind = 'hermes_agent'").get(0)).intValue());
    }

    private String path(String traceId)
    {
        return dsl.fetchOne("select source_path from sessions where trace_id = '" + traceId + "'").get(0, String.class);
    }

    private LoadReport load()
            throws IOException
    {
        return new Loader(warehouse, "test").load(List.of(new SourceRoot(format, home)), LoadOptions.INCREMENTAL, "test", LoadListener.NONE);
    }
}
