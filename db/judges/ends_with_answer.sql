-- description: 1 when the trace ends with a final assistant answer, else 0 with the kind of its last message as label (tool_use, tool_result, synthetic, interruption, prompt, ...).
-- The last message that counts is the last one whose kind (v_message_kinds) is not meta or command, so a session closed
-- with /exit after the answer still ends with its answer. synthetic is a client-side notice such as "API Error: 529";
-- tool_use means the trace stopped while a tool call was pending; prompt means a user prompt went unanswered.
with counted as (
    select k.trace_id,
           k.ordinal,
           k.kind,
           k.text_content,
           row_number() over (partition by k.trace_id order by k.ordinal desc) as from_end
    from v_message_kinds k
    where k.kind not in ('meta', 'command')
)
select s.trace_id,
       'ends_with_answer' as name,
       case when c.kind = 'answer' then 1 else 0 end as value,
       coalesce(c.kind, 'no_messages') as label,
       case
           when c.kind is null then 'no messages besides meta lines and commands'
           else 'ends with message ' || cast(c.ordinal as varchar(20)) || ' (' || c.kind || '): '
               || coalesce(substring(c.text_content, 1, 120), '')
       end as explanation
from sessions s
left join counted c on c.trace_id = s.trace_id and c.from_end = 1
