-- v_message_json for PostgreSQL: each message as one chat message in the trace contract's shape (the shape of
-- `tracewh export traces`): role, content blocks, reasoning_content, tool_calls, tool_call_id; absent keys are
-- left out. H2 has its own version (PostgreSQL 15 lacks the SQL/JSON constructors H2 uses).
create or replace view v_message_json as
select m.trace_id,
       m.ordinal,
       cast(json_strip_nulls(json_build_object(
           'role', m.role,
           'content', cast(m.content as json),
           'reasoning_content', m.reasoning_content,
           'tool_calls', (
               select json_agg(json_build_object(
                          'id', c.tool_call_id,
                          'type', 'function',
                          'function', json_build_object('name', c.name, 'arguments', c.arguments))
                      order by c.call_index)
               from tool_calls c
               where c.trace_id = m.trace_id and c.message_ordinal = m.ordinal),
           'tool_call_id', m.tool_call_id)) as text) as message_json
from v_messages m;
