-- The documented SQL API (docs/views.md). Tables may change between versions; these views keep their columns.
-- v_traces, v_messages and v_tool_calls have JSON columns, jsonb on PostgreSQL: they are defined per database in
-- db/migration/{h2,postgresql}/R__content_views.sql. Their comments are in R__views_comments.sql.

-- Tokens per UTC day, source and model. input_tokens excludes cached input. The sums are bigint: PostgreSQL's sum of
-- bigint is numeric, which BI tools show as a decimal. A day's sum fits: counts are at most 10^11 (a larger one is a
-- line issue), so 9 * 10^7 responses a day at that bound still fit. Columns added later come last: PostgreSQL's
-- create or replace view only appends columns.
create or replace view v_usage_daily as
select cast(created_at at time zone 'UTC' as date) as "day",
       source_kind,
       model,
       count(*) as responses,
       cast(sum(input_tokens) as bigint) as input_tokens,
       cast(sum(cache_creation_input_tokens) as bigint) as cache_creation_input_tokens,
       cast(sum(cache_read_input_tokens) as bigint) as cache_read_input_tokens,
       cast(sum(output_tokens) as bigint) as output_tokens,
       cast(sum(reasoning_output_tokens) as bigint) as reasoning_output_tokens,
       cast(sum(cache_creation_1h_input_tokens) as bigint) as cache_creation_1h_input_tokens
from token_usage
group by cast(created_at at time zone 'UTC' as date), source_kind, model;

-- One row per root session: the session's trace and all its sub-agents' traces together. A trace belongs to the
-- root session named by its root_session_id; a fork is a session of its own (its parent is in source_meta's
-- forked_from_id), so it is not summed into the session it was forked from. Token usage is summed over the token_usage
-- rows of the session's traces: each API response has one row, owned by one trace, so a response that the parent and a
-- sub-agent both record counts once. Sums are bigint as in v_usage_daily.
create or replace view v_session_rollup as
select s.source_kind,
       s.root_session_id,
       count(*) as trace_count,
       count(case when s.is_sidechain then 1 end) as sub_agent_count,
       min(s.started_at) as started_at,
       max(s.ended_at) as ended_at,
       cast(sum(s.message_count) as bigint) as message_count,
       cast(sum(s.tool_call_count) as bigint) as tool_call_count,
       cast(coalesce(sum(e.tool_errors), 0) as bigint) as tool_error_count,
       cast(coalesce(sum(u.responses), 0) as bigint) as responses,
       cast(coalesce(sum(u.input_tokens), 0) as bigint) as input_tokens,
       cast(coalesce(sum(u.cache_creation_input_tokens), 0) as bigint) as cache_creation_input_tokens,
       cast(coalesce(sum(u.cache_read_input_tokens), 0) as bigint) as cache_read_input_tokens,
       cast(coalesce(sum(u.output_tokens), 0) as bigint) as output_tokens,
       cast(coalesce(sum(u.reasoning_output_tokens), 0) as bigint) as reasoning_output_tokens
from sessions s
left join (select trace_id, count(*) as tool_errors
           from tool_calls
           where is_error
           group by trace_id) e on e.trace_id = s.trace_id
left join (select trace_id,
                  count(*) as responses,
                  sum(input_tokens) as input_tokens,
                  sum(cache_creation_input_tokens) as cache_creation_input_tokens,
                  sum(cache_read_input_tokens) as cache_read_input_tokens,
                  sum(output_tokens) as output_tokens,
                  sum(reasoning_output_tokens) as reasoning_output_tokens
           from token_usage
           group by trace_id) u on u.trace_id = s.trace_id
group by s.source_kind, s.root_session_id;
