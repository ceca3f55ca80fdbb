-- The roles `tracewh grant-read` gave read access to the views. A view that a migration drops and makes again loses
-- its grants, and a view a later version adds has none: grant_reader_roles() (R__reader_grants.sql) grants them again
-- to these roles after every migration (afterMigrate.sql).
create table reader_roles (
    role_name   varchar(128) primary key,
    granted_at  timestamp with time zone not null
);

-- The views' JSON columns become jsonb and their token sums bigint (R__content_views.sql, R__distill_message_json.sql,
-- R__views.sql). PostgreSQL changes no view column's type in place, so the views of the text generation are dropped
-- here, dependents first, and the repeatable migrations (all changed in this version) make them again after the
-- versioned ones. Views made by this version's repeatable migrations already have the new types and stay (tests
-- build older schemas with today's views). A view of your own over one of these stops the migration with
-- PostgreSQL's error naming it: drop it, migrate, and make it again.
do $$
begin
    if exists (select 1
               from information_schema.columns
               where table_schema = current_schema()
                 and (table_name, column_name) in (('v_traces', 'source_meta'), ('v_messages', 'content'), ('v_tool_calls', 'arguments'),
                                                   ('v_message_json', 'message_json'), ('v_trace_digest_input', 'opening_messages'),
                                                   ('v_tool_interactions', 'arguments'), ('v_usage_daily', 'input_tokens'))
                 and data_type not in ('jsonb', 'bigint')) then
        drop view if exists v_trace_digest_input;
        drop view if exists v_message_json;
        drop view if exists v_messages;
        drop view if exists v_tool_interactions;
        drop view if exists v_tool_calls;
        drop view if exists v_traces;
        drop view if exists v_usage_daily;
    end if;
end
$$;
