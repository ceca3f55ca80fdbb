-- description: Share of the trace's answered tool calls whose result is an error (0 to 1); no score without answered tool calls.
-- A SQL judge: one SELECT returning trace_id, name, value, label, explanation; `tracewh judge run tool_error_rate`
-- stores its rows as a new judge run. Runs unchanged on H2 and PostgreSQL.
select c.trace_id,
       'tool_error_rate' as name,
       cast(sum(case when c.is_error then 1 else 0 end) as double precision) / count(*) as value,
       cast(null as varchar(256)) as label,
       cast(sum(case when c.is_error then 1 else 0 end) as varchar(20)) || ' of ' || cast(count(*) as varchar(20))
           || ' answered tool calls failed' as explanation
from tool_calls c
where c.result_ordinal is not null
group by c.trace_id
