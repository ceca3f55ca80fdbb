-- v_message_json for H2: each message as one chat message in the trace contract's shape (the shape of
-- `tracewh export traces`): role, content blocks, reasoning_content, tool_calls, tool_call_id; absent keys are
-- left out. PostgreSQL 15 has no SQL/JSON constructors, so db/migration/postgresql has its own version.
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
