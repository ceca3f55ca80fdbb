-- The distillation views built of JSON (docs/distill.md), for H2: JSON stays text here. PostgreSQL's version in
-- db/migration/postgresql gives the same rows with jsonb columns (PostgreSQL 15 lacks the SQL/JSON constructors used
-- below). Flyway runs repeatable migrations in the order of their names: v_messages (R__content_views.sql) exists
-- before this file runs, and R__distill_views.sql after it. Their comments are in R__views_comments.sql.

-- v_message_json: each message as one chat message in the trace contract's shape (the shape of
-- `tracewh export traces`): role, content blocks, reasoning_content, tool_calls, tool_call_id; absent keys are
-- left out.
create or replace view v_message_json as
select m.trace_id,
       m.ordinal,
       cast(json_object(
           'role': m.role,
           'content': m.content format json,
           'reasoning_content': m.reasoning_content,
           'tool_calls': (
               select json_arrayagg(json_object(
                          'id': c.tool_call_id,
                          'type': 'function',
                          'function': json_object('name': c.name, 'arguments': c.arguments))
                      order by c.call_index)
               from tool_calls c
               where c.trace_id = m.trace_id and c.message_ordinal = m.ordinal),
           'tool_call_id': m.tool_call_id
           absent on null) as varchar) as message_json
from v_messages m;

-- The inputs of Data Designer's trace digest prompt, one row per trace: its metadata, the first four and last four
-- messages of its active path (the conversation as it ended, without branches a rewind abandoned) as JSON arrays of
-- chat messages (v_message_json), and its final assistant message.
create or replace view v_trace_digest_input as
with positioned as (
    select trace_id,
           ordinal,
           row_number() over (partition by trace_id order by ordinal) as from_start,
           row_number() over (partition by trace_id order by ordinal desc) as from_end
    from messages
    where is_active_path
),
edges as (
    select p.trace_id,
           '[' || string_agg(case when p.from_start <= 4 then j.message_json end, ',' order by p.ordinal) || ']' as opening_messages,
           '[' || string_agg(case when p.from_end <= 4 then j.message_json end, ',' order by p.ordinal) || ']' as closing_messages
    from positioned p
    join v_message_json j on j.trace_id = p.trace_id and j.ordinal = p.ordinal
    where p.from_start <= 4 or p.from_end <= 4
    group by p.trace_id
)
select s.trace_id,
       s.source_kind,
       s.root_session_id,
       s.agent_id,
       s.is_sidechain,
       s.project_path,
       s.cwd,
       s.git_branch,
       s.message_count,
       s.tool_call_count,
       s.source_meta,
       coalesce(e.opening_messages, '[]') as opening_messages,
       coalesce(e.closing_messages, '[]') as closing_messages,
       s.final_assistant_message
from sessions s
left join edges e on e.trace_id = s.trace_id;
