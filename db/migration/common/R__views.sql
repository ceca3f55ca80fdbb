-- The documented SQL API. Tables may change between versions; these views keep their columns.

-- The trace contract (NVIDIA Data Designer's agent-rollout shape) without the messages.
create or replace view v_traces as
select trace_id,
       source_kind,
       source_path,
       root_session_id,
       agent_id,
       is_sidechain,
       cwd,
       project_path,
       git_branch,
       started_at,
       ended_at,
       source_meta,
       message_count,
       tool_call_count,
       final_assistant_message,
       title,
       summary,
       models,
       tool_versions
from sessions;

-- One row per tool call with the tool's output: tool_calls stores it only where it differs from the text of the
-- result message (see V5).
create or replace view v_tool_calls as
select c.trace_id,
       c.tool_call_id,
       c.message_ordinal,
       c.call_index,
       c.result_ordinal,
       c.name,
       c.arguments,
       coalesce(c.result_text, r.text_content) as result_text,
       c.is_error,
       c.exit_code,
       c.duration_seconds,
       c.called_at,
       c.first_run_id,
       c.last_run_id
from tool_calls c
left join messages r on r.trace_id = c.trace_id and r.ordinal = c.result_ordinal;

-- Tokens per UTC day, source and model. input_tokens excludes cached input.
create or replace view v_usage_daily as
select cast(created_at at time zone 'UTC' as date) as "day",
       source_kind,
       model,
       count(*) as responses,
       sum(input_tokens) as input_tokens,
       sum(cache_creation_input_tokens) as cache_creation_input_tokens,
       sum(cache_read_input_tokens) as cache_read_input_tokens,
       sum(output_tokens) as output_tokens,
       sum(reasoning_output_tokens) as reasoning_output_tokens
from token_usage
group by cast(created_at at time zone 'UTC' as date), source_kind, model;
