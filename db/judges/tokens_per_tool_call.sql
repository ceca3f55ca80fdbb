-- description: Tokens processed per tool call: (input + cache writes + cache reads + output) / tool calls; no score without tool calls or token usage.
-- Token usage counts each model response once (token_usage), with the trace that first loaded it.
select s.trace_id,
       'tokens_per_tool_call' as name,
       cast(sum(u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens + u.output_tokens) as double precision)
           / s.tool_call_count as value,
       cast(null as varchar(256)) as label,
       cast(sum(u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens + u.output_tokens) as varchar(20))
           || ' tokens (input ' || cast(sum(u.input_tokens) as varchar(20))
           || ', cache writes ' || cast(sum(u.cache_creation_input_tokens) as varchar(20))
           || ', cache reads ' || cast(sum(u.cache_read_input_tokens) as varchar(20))
           || ', output ' || cast(sum(u.output_tokens) as varchar(20))
           || ') for ' || cast(s.tool_call_count as varchar(20)) || ' tool calls' as explanation
from sessions s
join token_usage u on u.trace_id = s.trace_id
where s.tool_call_count > 0
group by s.trace_id, s.tool_call_count
