-- The documented views with JSON columns (docs/views.md), for PostgreSQL: their JSON columns are jsonb, so BI tools
-- and ad-hoc SQL read them without casts (the tables keep text, one schema for H2 and PostgreSQL). H2's version in
-- db/migration/h2 gives the same rows with text. Their comments are in R__views_comments.sql.

-- Text as jsonb when it is valid JSON, else as a JSON string holding the text. Tool call arguments are whatever the
-- model wrote (a Codex function call's arguments are not checked), source_meta may hold a \u0000 escape (which
-- jsonb refuses), and a cast that fails on one row would fail every query over the view. Only the errors of bad
-- input are caught (class 22: invalid JSON, \u0000, a lone surrogate; class 54: nesting or size beyond jsonb's
-- limits). Parallel restricted: catching an error needs a subtransaction, which parallel workers cannot start.
create or replace function jsonb_or_string(value text) returns jsonb
language plpgsql immutable strict parallel restricted
as $$
begin
    return cast(value as jsonb);
exception
    when data_exception or program_limit_exceeded then
        return to_jsonb(value);
end
$$;

-- v_messages: the messages table with every message's content as JSON blocks. The table stores a message whose
-- content is one text block only as text_content (content is null, see V5); this view rebuilds the block. content
-- is written by the loader's JSON serializer, so a plain cast cannot fail.
create or replace view v_messages as
select m.trace_id,
       m.ordinal,
       m.role,
       coalesce(cast(m.content as jsonb), jsonb_build_array(jsonb_build_object('type', 'text', 'text', m.text_content))) as content,
       m.text_content,
       m.reasoning_content,
       m.tool_call_id,
       m.line_number,
       m.line_uuid,
       m.parent_uuid,
       m.created_at,
       m.model,
       m.api_message_id,
       m.request_id,
       m.is_meta,
       m.is_compact_summary,
       m.is_sidechain,
       m.is_synthetic,
       m.first_run_id,
       m.last_run_id,
       m.is_active_path,
       m.branch
from messages m;

-- The trace contract (NVIDIA Data Designer's agent-rollout shape) without the messages.
-- A sub-agent's spawning call is found in SQL rather than by the parser because the spawner and the sub-agent are
-- separate files that load in any order: the first Task/Agent call of another trace of the same root session whose
-- result ends "agentId: <id> (...)" (2.1.x; a call that resumes the agent repeats it, hence the first). Its trace is
-- the parent (a nested sub-agent's is another sub-agent); without a call, the root session's trace, which Claude Code
-- and Codex name as a sub-agent's root_session_id. An ATIF sub-agent's parent is the trace of its root session whose
-- subagent_trajectory_refs (in source_meta) name it, a continuation perhaps, and the call is the one whose result
-- named it (source_meta.subagent_call_ids): the sub-agent's file names only its parent's session, and the parent's
-- refs are in no column. An OpenCode child session's parent is the session whose subagent_call_ids (its task calls)
-- name it, and so is a Copilot CLI sub-agent's (its events are in the session's own log). The new columns come last
-- because PostgreSQL's create or replace view only adds columns at the end; every column here is from V1, so this
-- repeatable migration still runs on old schemas (V16 indexes sessions.root_session_id for it).
-- One lateral subquery finds the call for both columns: a scalar subquery per column ran the search twice per row.
create or replace view v_traces as
select s.trace_id,
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
       jsonb_or_string(source_meta) as source_meta,
       message_count,
       tool_call_count,
       final_assistant_message,
       title,
       summary,
       models,
       tool_versions,
       coalesce(spawn.trace_id, ref.trace_id,
                case when s.is_sidechain and s.root_session_id <> s.trace_id then s.root_session_id end) as parent_trace_id,
       coalesce(spawn.tool_call_id, ref.tool_call_id) as parent_tool_call_id
from sessions s
left join lateral (select c.trace_id, c.tool_call_id
        from sessions p
        join tool_calls c on c.trace_id = p.trace_id
        left join messages r on r.trace_id = c.trace_id and r.ordinal = c.result_ordinal
        where s.is_sidechain
          and s.agent_id is not null
          and p.root_session_id = s.root_session_id
          and p.source_kind = s.source_kind
          and p.trace_id <> s.trace_id
          and c.name in ('Task', 'Agent')
          and coalesce(c.result_text, r.text_content) like '%agentId: ' || s.agent_id || ' %'
        order by c.called_at, c.message_ordinal, c.call_index
        fetch first 1 rows only) spawn on true
left join lateral (select p.trace_id,
               (select c.tool_call_id
                from tool_calls c
                where c.trace_id = p.trace_id
                  and p.source_meta like '%"subagent_call_ids":{%"' || s.trace_id || '":"' || c.tool_call_id || '"%'
                order by c.message_ordinal, c.call_index
                fetch first 1 rows only) as tool_call_id
        from sessions p
        where s.is_sidechain
          and s.source_kind in ('atif', 'opencode', 'copilot_cli')
          and p.source_kind = s.source_kind
          and p.root_session_id = s.root_session_id
          and p.trace_id <> s.trace_id
          and (p.source_meta like '%"subagent_trajectory_refs":%"' || s.trace_id || '"%'
               or p.source_meta like '%"subagent_call_ids":{%"' || s.trace_id || '":"%')
        order by p.started_at, p.trace_id
        fetch first 1 rows only) ref on true;

-- One row per tool call with the tool's output: tool_calls stores it only where it differs from the text of the
-- result message (see V5).
create or replace view v_tool_calls as
select c.trace_id,
       c.tool_call_id,
       c.message_ordinal,
       c.call_index,
       c.result_ordinal,
       c.name,
       jsonb_or_string(c.arguments) as arguments,
       coalesce(c.result_text, r.text_content) as result_text,
       c.is_error,
       c.exit_code,
       c.duration_seconds,
       c.called_at,
       c.first_run_id,
       c.last_run_id
from tool_calls c
left join messages r on r.trace_id = c.trace_id and r.ordinal = c.result_ordinal;
