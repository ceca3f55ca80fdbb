package dev.tracewh.load;

import dev.tracewh.format.opencode.OpenCodeFormat;
import dev.tracewh.format.opencode.OpenCodeStore;
import dev.tracewh.testing.SharedFixtures;
import dev.tracewh.testing.WarehouseContract;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An OpenCode data folder loads into the warehouse: the real 1.18.33 database and a legacy JSON tree side by side; a
 * database that changed is read only for the sessions updated since its last load (its cursor in source_files), a
 * session deleted in OpenCode keeps its rows, and a full refresh reads every session again; a session moves from the
 * JSON tree to the database without a duplicate error.
 */
public abstract class OpenCodeLoadContract
        extends WarehouseContract
{
    private static final String DUMP = "opencode/lazyagents/internal/agent/testdata/fixtures/opencode/1.18.33/home/.local/share/opencode/opencode.sql";
    private static final String TREE = "opencode/agent-sessions/Resources/Fixtures/stage0/agents/opencode/storage_v2";
    private static final long T0 = 1_790_000_000_000L;
    private static final long DAY = 86_400_000L;

    @TempDir
    Path data;

    @Test
    void theRealDatabaseAndALegacyTreeLoadTogether()
            throws IOException, SQLException
    {
        OpenCodeStore.fromDump(SharedFixtures.path(DUMP), data.resolve("opencode.db"));
        Path tree = SharedFixtures.path(TREE);
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path copy = data.resolve("storage").resolve(tree.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy);
            }
        }
        LoadReport report = load(LoadOptions.INCREMENTAL);
        assertEquals(0, report.files().errors());
        assertEquals(3, report.files().loaded());
        assertEquals(List.of("s_stage0_large", "s_stage0_small", "ses_f0de500f8ffeXvsiYJDOg5JtrU"),
                dsl.fetch("select trace_id from sessions where source_kind = 'opencode' order by trace_id").getValues(0, String.class));
        // 4 + 5 + 3 messages, 1 + 1 + 1 tool calls, 2 + 1 + 0 usage rows
        assertEquals(12, count("select sum(message_count) from sessions where source_kind = 'opencode'"));
        assertEquals(3, count("select count(*) from tool_calls c join sessions s on s.trace_id = c.trace_id where s.source_kind = 'opencode'"));
        Record usage = dsl.fetchOne("select count(*), sum(input_tokens), sum(cache_read_input_tokens), sum(output_tokens) from token_usage u "
                + "join sessions s on s.trace_id = u.trace_id where s.source_kind = 'opencode'");
        assertEquals(List.of(3L, 290L, 100L, 30L), usage.intoList().stream().map(value -> ((Number) value).longValue()).toList());
        assertEquals(data.resolve("opencode.db").toRealPath().toString(),
                dsl.fetchOne("select source_path from sessions where trace_id = 'ses_f0de500f8ffeXvsiYJDOg5JtrU'").get(0, String.class));
        assertEquals(0, load(LoadOptions.INCREMENTAL).files().loaded(), "nothing changed");
    }

    @Test
    void aChangedDatabaseIsReadOnlyForItsChangedSessionsAndADeletedSessionKeepsItsRows()
            throws IOException, SQLException
    {
        try (OpenCodeStore store = OpenCodeStore.create(data.resolve("opencode.db"))) {
            store.session("ses_a", null, "a", T0, T0 + 10).userText("msg_a1", "ses_a", T0 + 1, "a?").assistantText("msg_a2", "ses_a", T0 + 2, "a!", 10, 1)
                    .session("ses_b", null, "b", T0 + DAY, T0 + DAY + 10).userText("msg_b1", "ses_b", T0 + DAY + 1, "b?")
                    .assistantText("msg_b2", "ses_b", T0 + DAY + 2, "b!", 20, 2)
                    .part("prt_task", "msg_a2", "ses_a", T0 + 2, "{\"type\":\"tool\",\"tool\":\"task\",\"callID\":\"call_task\",\"state\":{"
                            + "\"status\":\"completed\",\"input\":{},\"output\":\"task_id: ses_c\",\"metadata\":{\"sessionId\":\"ses_c\"}}}")
                    .session("ses_c", "ses_a", "c (@explore subagent)", T0 + 3, T0 + 9).userText("msg_c1", "ses_c", T0 + 4, "c?");

            LoadReport first = load(LoadOptions.INCREMENTAL);
            assertEquals(0, first.files().errors());
            assertEquals(3, first.traces());
            assertEquals(Long.toString(T0 + DAY + 10), dsl.fetchOne("select resume_cursor from source_files where source_kind = 'opencode'").get(0, String.class));
            Record child = dsl.fetchOne("select root_session_id, agent_id, is_sidechain, parent_trace_id, parent_tool_call_id from v_traces "
                    + "where trace_id = 'ses_a:ses_c'");
            assertEquals(List.of("ses_a", "ses_c", true, "ses_a", "call_task"), child.intoList());
            assertEquals(0, load(LoadOptions.INCREMENTAL).files().loaded(), "nothing changed");

            // a commit to the -wal: a's new turn is read, and b, last read at the cursor, once more
            store.userText("msg_a3", "ses_a", T0 + 2 * DAY, "more?").assistantText("msg_a4", "ses_a", T0 + 2 * DAY + 1, "more!", 30, 3);
            LoadReport second = load(LoadOptions.INCREMENTAL);
            assertEquals(List.of(1, 0, 2), List.of(second.files().loaded(), second.files().errors(), (int) second.traces()));
            assertEquals(5, count("select message_count from sessions where trace_id = 'ses_a'"));

            store.userText("msg_a5", "ses_a", T0 + 3 * DAY, "again?");
            LoadReport third = load(LoadOptions.INCREMENTAL);
            assertEquals(1, third.traces(), "only a is read: b and c did not change");
            assertEquals(3, count("select trace_count from source_files where source_kind = 'opencode'"), "the file holds all three");
            assertEquals(6, count("select message_count from sessions where trace_id = 'ses_a'"));

            assertEquals(3, load(LoadOptions.FULL_REFRESH).traces(), "a full refresh reads every session");

            // b deleted in OpenCode (its messages and parts go by cascade), then a changes
            store.execute("DELETE FROM part WHERE session_id = 'ses_b'").execute("DELETE FROM message WHERE session_id = 'ses_b'")
                    .execute("DELETE FROM session WHERE id = 'ses_b'").userText("msg_a6", "ses_a", T0 + 4 * DAY, "last?");
            LoadReport afterDelete = load(LoadOptions.INCREMENTAL);
            assertEquals(0, afterDelete.files().errors());
            assertEquals(List.of("ses_a", "ses_a:ses_c", "ses_b"),
                    dsl.fetch("select trace_id from sessions where source_kind = 'opencode' order by trace_id").getValues(0, String.class));
            assertEquals(2, count("select count(*) from messages where trace_id = 'ses_b'"), "b's rows stay");
            assertEquals(1, count("select count(*) from token_usage where trace_id = 'ses_b'"));
            assertEquals(7, count("select message_count from sessions where trace_id = 'ses_a'"));
        }
    }

    @Test
    void aSessionMovesFromTheJsonTreeToTheDatabase()
            throws IOException, SQLException
    {
        Path storage = data.resolve("storage");
        Files.createDirectories(storage.resolve("session/prj1"));
        Files.createDirectories(storage.resolve("message/ses_t"));
        Files.createDirectories(storage.resolve("part/msg_t1"));
        Files.writeString(storage.resolve("session/prj1/ses_t.json"), "{\"id\":\"ses_t\",\"projectID\":\"prj1\",\"directory\":\"/w\",\"title\":\"t\","
                + "\"version\":\"0.9.1\",\"time\":{\"created\":1,\"updated\":2}}");
        Files.writeString(storage.resolve("message/ses_t/msg_t1.json"), "{\"id\":\"msg_t1\",\"sessionID\":\"ses_t\",\"role\":\"user\",\"time\":{\"created\":1}}");
        Files.writeString(storage.resolve("part/msg_t1/prt_1.json"), "{\"id\":\"prt_1\",\"messageID\":\"msg_t1\",\"type\":\"text\",\"text\":\"hi\"}");
        assertEquals(0, load(LoadOptions.INCREMENTAL).files().errors());
        assertEquals(storage.resolve("session/prj1/ses_t.json").toRealPath().toString(), sourcePath("ses_t"));

        // OpenCode imports the tree into its new database once
        try (OpenCodeStore store = OpenCodeStore.create(data.resolve("opencode.db"))) {
            store.session("ses_t", null, "t", 1, 2).userText("msg_t1", "ses_t", 1, "hi").assistantText("msg_t2", "ses_t", 3, "hello", 1, 1);
        }
        LoadReport report = load(LoadOptions.INCREMENTAL);
        assertEquals(0, report.files().errors(), "no duplicate_session: the database supersedes the tree");
        assertEquals(data.resolve("opencode.db").toRealPath().toString(), sourcePath("ses_t"));
        assertEquals(2, count("select message_count from sessions where trace_id = 'ses_t'"));
    }

    private String sourcePath(String traceId)
    {
        return dsl.fetchOne("select source_path from sessions where trace_id = '" + traceId + "'").get(0, String.class);
    }

    private long count(String sql)
    {
        return ((Number) dsl.fetchOne(sql).get(0)).longValue();
    }

    private LoadReport load(LoadOptions options)
            throws IOException
    {
        return new Loader(warehouse, "test").load(List.of(new SourceRoot(new OpenCodeFormat(), data)), options, "test", LoadListener.NONE);
    }
}
