-- description: 1 when the trace holds a real user prompt, 0 when it has only meta lines, slash commands, command output or interruptions.
-- A prompt is a message of kind prompt in v_message_kinds: a user message that is not is_meta and does not start
-- with <command-name>, <command-message>, <local-command-stdout>, a command caveat, <bash-input>, <system-reminder>,
-- "[Request interrupted by user", ... A sub-agent trace's prompt is the task it was given.
select s.trace_id,
       'has_user_task' as name,
       case when count(k.ordinal) > 0 then 1 else 0 end as value,
       cast(null as varchar(256)) as label,
       case
           when count(k.ordinal) = 0 then 'no user prompt'
           else cast(count(k.ordinal) as varchar(20)) || ' user prompts, the first is message ' || cast(min(k.ordinal) as varchar(20))
       end as explanation
from sessions s
left join v_message_kinds k on k.trace_id = s.trace_id and k.kind = 'prompt'
group by s.trace_id
