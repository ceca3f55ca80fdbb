-- The descriptions of the documented views, in the words of docs/views.md and docs/distill.md (a test keeps them
-- the same). H2 2.5 refuses comments on a view's columns (COMMENT ON COLUMN on a view is "Feature not supported"), so
-- only PostgreSQL's version of this file describes them. Flyway runs repeatable migrations in the order of their
-- names, so every view exists when this file runs; a view that another file makes again with create or replace
-- keeps its comment, one that a migration drops and makes again needs this file changed so that it runs again.

comment on view v_traces is 'One row per trace (one transcript file): the trace contract without its messages, plus title, summary, models and tool versions.';
comment on view v_messages is 'One row per chat message: every column of the messages table, with content always the JSON list of content blocks.';
comment on view v_tool_calls is 'One row per tool call: every column of the tool_calls table, with result_text the tool''s output for every answered call.';
comment on view v_usage_daily is 'Token usage per UTC day, source and model: one row for each, summed over the model responses of token_usage.';
comment on view v_session_rollup is 'One row per root session: the session and all its sub-agents together (a fork is a session of its own), with their messages, tool calls, tool errors and tokens.';
comment on view v_message_kinds is 'One row per message with its kind, for judges and exports.';
comment on view v_message_json is 'One row per message as one chat message of the trace contract, in the shape of tracewh export traces.';
comment on view v_trace_digest_input is 'One row per trace: exactly the inputs of the digest prompt of Data Designer''s recipe.';
comment on view v_tool_interactions is 'One row per tool call: what was called, with which arguments, what came back, and the user prompt it served.';
comment on view v_scores_latest is 'The latest score per target and score name: the one from the judge run with the highest id that gave it.';
comment on view v_judge_trace_scores is 'One row per judge run and trace it scored on Data Designer''s rubrics, one column per rubric, with Data Designer''s recommendation.';
comment on view v_trace_scores is 'One row per trace with each rubric''s latest score, whichever judge run gave it (the digest''s training_value and the quality judge''s rubrics may come from separate runs); null scores and recommended_for_sft false for a trace no judge scored.';
comment on view v_sft_candidates is 'One row per trace with what decides whether it becomes an SFT example: its rubric scores (v_trace_scores), the latest results of the shipped heuristic judges, and Data Designer''s recommendation.';
comment on view v_cost_responses is 'One row per model response of token_usage with the price row it takes (model_prices) and the cost of each kind of token, in USD; an unpriced response has null costs and priced false, never 0.';
comment on view v_cost_daily is 'Cost per UTC day, source, model and project, summed over v_cost_responses; cost_usd sums the priced responses only, so it is a lower bound where unpriced_responses is not 0.';
comment on view v_cost_sessions is 'Cost per root session, its sub-agents included (a fork is a session of its own, as in v_session_rollup); a response counts once, with the trace that owns it.';
