-- The descriptions of the documented views and of their columns, in the words of docs/views.md and docs/distill.md
-- (a test keeps them the same), so psql's \d+ and BI tools show them. Flyway runs repeatable migrations in the order
-- of their names, so every view exists when this file runs; a view that another file makes again with create or
-- replace keeps its comments, one that a migration drops and makes again needs this file changed so that it runs
-- again.

comment on view v_traces is 'One row per trace (one transcript file): the trace contract without its messages, plus title, summary, models and tool versions.';
comment on column v_traces.trace_id is 'The trace''s id: the Claude Code sessionId (sessionId:agentId for a sub-agent transcript) or the Codex session id.';
comment on column v_traces.source_kind is 'The agent that wrote the transcript: claude_code or codex.';
comment on column v_traces.source_path is 'The path of the transcript file.';
comment on column v_traces.root_session_id is 'The session the trace belongs to: its own id for a main session, the parent session''s for a sub-agent.';
comment on column v_traces.agent_id is 'The sub-agent''s id; null for a main session.';
comment on column v_traces.is_sidechain is 'True for a sub-agent (sidechain) transcript.';
comment on column v_traces.cwd is 'The working directory the agent ran in.';
comment on column v_traces.project_path is 'The project folder: Claude Code''s sessions-index.json entry when it has the session, else cwd.';
comment on column v_traces.git_branch is 'The git branch the session recorded; null when there is none.';
comment on column v_traces.started_at is 'The earliest line timestamp of the transcript.';
comment on column v_traces.ended_at is 'The latest line timestamp of the transcript.';
comment on column v_traces.source_meta is 'Facts of the source format as a JSON object: counts of line types and of dropped or repaired items, and fields such as Claude Code''s slug or Codex''s cli_version and originator.';
comment on column v_traces.message_count is 'The number of messages (rows of v_messages).';
comment on column v_traces.tool_call_count is 'The number of tool calls (rows of v_tool_calls).';
comment on column v_traces.final_assistant_message is 'The text of the last assistant message that has text, skipping synthetic client notices.';
comment on column v_traces.title is 'Claude Code''s title of the session: the custom title, else the AI title, else the summary; null for Codex.';
comment on column v_traces.summary is 'Claude Code''s latest summary of the session; null for Codex.';
comment on column v_traces.models is 'The models that answered, comma-separated, in order of first use.';
comment on column v_traces.tool_versions is 'The versions of the agent that wrote the transcript, comma-separated, in order of first use.';

comment on view v_messages is 'One row per chat message: every column of the messages table, with content always the JSON list of content blocks.';
comment on column v_messages.trace_id is 'The trace the message belongs to.';
comment on column v_messages.ordinal is 'The message''s position in its trace, from 0.';
comment on column v_messages.role is 'user, assistant, system or tool.';
comment on column v_messages.content is 'The content blocks as a JSON array of objects with a type (text, image, document) and their text or media_type.';
comment on column v_messages.text_content is 'The text blocks joined by a blank line; null when the message has no text.';
comment on column v_messages.reasoning_content is 'The assistant''s reasoning (Claude Code thinking, Codex reasoning); null when there is none.';
comment on column v_messages.tool_call_id is 'For a tool message: the id of the tool call it answers.';
comment on column v_messages.line_number is 'The line of the transcript file the message starts on, from 1.';
comment on column v_messages.line_uuid is 'Claude Code''s uuid of that line; null for Codex.';
comment on column v_messages.parent_uuid is 'Claude Code''s parentUuid of that line.';
comment on column v_messages.created_at is 'The timestamp of that line.';
comment on column v_messages.model is 'The model: for Claude Code the model of an assistant response, for Codex the model of the latest turn context.';
comment on column v_messages.api_message_id is 'Claude Code''s API message id of an assistant response (lines sharing it form one message).';
comment on column v_messages.request_id is 'Claude Code''s API request id of an assistant response.';
comment on column v_messages.is_meta is 'True for injected context rather than a message someone wrote (Claude Code isMeta lines; Codex user instructions, AGENTS.md and environment context).';
comment on column v_messages.is_compact_summary is 'True for the summary that replaces the conversation after a compaction.';
comment on column v_messages.is_sidechain is 'Claude Code''s isSidechain flag of the line (a sub-agent''s message).';
comment on column v_messages.is_synthetic is 'True for a client notice written as an assistant message (Claude Code''s synthetic model: API errors, No response requested.).';
comment on column v_messages.first_run_id is 'The load run (load_runs) that first wrote the row.';
comment on column v_messages.last_run_id is 'The load run (load_runs) that last changed the row.';

comment on view v_tool_calls is 'One row per tool call: every column of the tool_calls table, with result_text the tool''s output for every answered call.';
comment on column v_tool_calls.trace_id is 'The trace the call belongs to.';
comment on column v_tool_calls.tool_call_id is 'The call''s id (Claude Code tool_use id, Codex call_id), unique in its trace.';
comment on column v_tool_calls.message_ordinal is 'The ordinal of the assistant message making the call.';
comment on column v_tool_calls.call_index is 'The call''s position among that message''s calls, from 0.';
comment on column v_tool_calls.result_ordinal is 'The ordinal of the tool message holding the result; null when the call was not answered.';
comment on column v_tool_calls.name is 'The tool''s name (local_shell for a Codex local shell call).';
comment on column v_tool_calls.arguments is 'The call''s arguments as JSON (Codex free-form input as an object with one key, input); on PostgreSQL arguments that are not valid JSON are a JSON string of their text.';
comment on column v_tool_calls.result_text is 'The tool''s output; null when the call was not answered.';
comment on column v_tool_calls.is_error is 'True when the tool failed (Claude Code is_error, a non-zero exit code); null when unknown.';
comment on column v_tool_calls.exit_code is 'The command''s exit code, when the output gives one.';
comment on column v_tool_calls.duration_seconds is 'How long the tool ran, when the source says (Codex).';
comment on column v_tool_calls.called_at is 'The timestamp of the line making the call.';
comment on column v_tool_calls.first_run_id is 'The load run (load_runs) that first wrote the row.';
comment on column v_tool_calls.last_run_id is 'The load run (load_runs) that last changed the row.';

comment on view v_usage_daily is 'Token usage per UTC day, source and model: one row for each, summed over the model responses of token_usage.';
comment on column v_usage_daily.day is 'The UTC date of the responses.';
comment on column v_usage_daily.source_kind is 'The agent: claude_code or codex.';
comment on column v_usage_daily.model is 'The model that answered.';
comment on column v_usage_daily.responses is 'The number of model responses.';
comment on column v_usage_daily.input_tokens is 'Input tokens not read from the prompt cache.';
comment on column v_usage_daily.cache_creation_input_tokens is 'Input tokens written to the prompt cache.';
comment on column v_usage_daily.cache_read_input_tokens is 'Input tokens read from the prompt cache.';
comment on column v_usage_daily.output_tokens is 'Output tokens, reasoning included.';
comment on column v_usage_daily.reasoning_output_tokens is 'Reasoning tokens (part of output_tokens).';

comment on view v_message_kinds is 'One row per message with its kind, for judges and exports.';
comment on column v_message_kinds.trace_id is 'The trace the message belongs to.';
comment on column v_message_kinds.ordinal is 'The message''s position in its trace, from 0.';
comment on column v_message_kinds.role is 'user, assistant, system or tool.';
comment on column v_message_kinds.kind is 'What the message is: prompt (a real user request), interruption, command (a slash command, its local output, or shell input and output), meta (injected context: isMeta lines, command caveats, system reminders, IDE notices), compact_summary, synthetic (a client notice such as an API error), empty (no text), answer (assistant text without tool calls), tool_use (an assistant message calling tools), tool_result or system.';
comment on column v_message_kinds.created_at is 'The timestamp of the message''s line.';
comment on column v_message_kinds.text_content is 'The message''s text; null when it has none.';

comment on view v_message_json is 'One row per message as one chat message of the trace contract, in the shape of tracewh export traces.';
comment on column v_message_json.trace_id is 'The trace the message belongs to.';
comment on column v_message_json.ordinal is 'The message''s position in its trace, from 0.';
comment on column v_message_json.message_json is 'The message as a JSON object: role, content (the blocks), reasoning_content, tool_calls (id, type function, and function with name and arguments, arguments as a JSON string) and tool_call_id; keys without a value are left out.';

comment on view v_trace_digest_input is 'One row per trace: exactly the inputs of the digest prompt of Data Designer''s recipe.';
comment on column v_trace_digest_input.trace_id is 'The trace''s id.';
comment on column v_trace_digest_input.source_kind is 'The agent that wrote the transcript: claude_code or codex.';
comment on column v_trace_digest_input.root_session_id is 'The session the trace belongs to: its own id for a main session, the parent session''s for a sub-agent.';
comment on column v_trace_digest_input.agent_id is 'The sub-agent''s id; null for a main session.';
comment on column v_trace_digest_input.is_sidechain is 'True for a sub-agent (sidechain) transcript.';
comment on column v_trace_digest_input.project_path is 'The project folder.';
comment on column v_trace_digest_input.cwd is 'The working directory the agent ran in.';
comment on column v_trace_digest_input.git_branch is 'The git branch the session recorded; null when there is none.';
comment on column v_trace_digest_input.message_count is 'The number of messages.';
comment on column v_trace_digest_input.tool_call_count is 'The number of tool calls.';
comment on column v_trace_digest_input.source_meta is 'Facts of the source format as a JSON object (see v_traces).';
comment on column v_trace_digest_input.opening_messages is 'The first four messages as a JSON array of v_message_json messages.';
comment on column v_trace_digest_input.closing_messages is 'The last four messages as a JSON array of v_message_json messages.';
comment on column v_trace_digest_input.final_assistant_message is 'The text of the last assistant message that has text, skipping synthetic client notices.';

comment on view v_tool_interactions is 'One row per tool call: what was called, with which arguments, what came back, and the user prompt it served.';
comment on column v_tool_interactions.trace_id is 'The trace the call belongs to.';
comment on column v_tool_interactions.tool_call_id is 'The call''s id, unique in its trace.';
comment on column v_tool_interactions.message_ordinal is 'The ordinal of the assistant message making the call.';
comment on column v_tool_interactions.call_index is 'The call''s position among that message''s calls, from 0.';
comment on column v_tool_interactions.tool_name is 'The tool''s name.';
comment on column v_tool_interactions.arguments is 'The call''s arguments as JSON (see v_tool_calls).';
comment on column v_tool_interactions.result_text is 'The tool''s output; null when the call was not answered.';
comment on column v_tool_interactions.is_error is 'True when the tool failed; null when unknown.';
comment on column v_tool_interactions.exit_code is 'The command''s exit code, when the output gives one.';
comment on column v_tool_interactions.duration_seconds is 'How long the tool ran, when the source says (Codex).';
comment on column v_tool_interactions.called_at is 'The timestamp of the line making the call.';
comment on column v_tool_interactions.prompt_ordinal is 'The ordinal of the prompt the call served: the last message of kind prompt at or before the calling message; null when there is none.';
comment on column v_tool_interactions.user_prompt is 'The text of that prompt.';

comment on view v_scores_latest is 'The latest score per target and score name: the one from the judge run with the highest id that gave it.';
comment on column v_scores_latest.judge_run_id is 'The judge run (judge_runs) that gave the score.';
comment on column v_scores_latest.target_type is 'What was scored: trace, message or tool_call.';
comment on column v_scores_latest.trace_id is 'The scored trace, or the trace of the scored message or tool call.';
comment on column v_scores_latest.target_key is 'An empty string for a trace, the message ordinal for a message, the tool_call_id for a tool call.';
comment on column v_scores_latest.name is 'The score''s name: a rubric of score_configs, or a free-form name.';
comment on column v_scores_latest.value is 'The numeric score; null for a score that is only a label.';
comment on column v_scores_latest.label is 'The categorical score (training_value: high, medium or low) or a judge''s label.';
comment on column v_scores_latest.explanation is 'Why the judge gave the score.';
comment on column v_scores_latest.updated_at is 'When the score was last written.';

comment on view v_judge_trace_scores is 'One row per judge run and trace it scored on Data Designer''s rubrics, one column per rubric, with Data Designer''s recommendation.';
comment on column v_judge_trace_scores.judge_run_id is 'The judge run (judge_runs).';
comment on column v_judge_trace_scores.judge_name is 'The judge run''s name.';
comment on column v_judge_trace_scores.trace_id is 'The scored trace.';
comment on column v_judge_trace_scores.groundedness is 'Rubric 0-4: grounded in what the trace did rather than generic filler.';
comment on column v_judge_trace_scores.standalone_task is 'Rubric 0-4: the instruction is understandable without the trace.';
comment on column v_judge_trace_scores.response_quality is 'Rubric 0-4: the response is helpful, specific and answers the instruction.';
comment on column v_judge_trace_scores.faithfulness is 'Rubric 0-4: no invented commands, paths, APIs or code.';
comment on column v_judge_trace_scores.training_utility is 'Rubric 0-4: worth its tokens in an SFT set.';
comment on column v_judge_trace_scores.training_value is 'The digest''s verdict on the trace as training material: high, medium or low.';
comment on column v_judge_trace_scores.recommended_for_sft is 'Data Designer''s rule: all five rubrics at least 4 and training_value high (a missing rubric counts as not met).';

comment on view v_trace_scores is 'One row per trace with the rubric scores of the latest judge run that scored it (all columns from that one run); null scores and recommended_for_sft false for a trace no judge scored.';
comment on column v_trace_scores.trace_id is 'The trace.';
comment on column v_trace_scores.judge_run_id is 'The latest judge run that scored the trace on the rubrics; null when none did.';
comment on column v_trace_scores.judge_name is 'That judge run''s name.';
comment on column v_trace_scores.groundedness is 'Rubric 0-4: grounded in what the trace did rather than generic filler.';
comment on column v_trace_scores.standalone_task is 'Rubric 0-4: the instruction is understandable without the trace.';
comment on column v_trace_scores.response_quality is 'Rubric 0-4: the response is helpful, specific and answers the instruction.';
comment on column v_trace_scores.faithfulness is 'Rubric 0-4: no invented commands, paths, APIs or code.';
comment on column v_trace_scores.training_utility is 'Rubric 0-4: worth its tokens in an SFT set.';
comment on column v_trace_scores.training_value is 'The digest''s verdict on the trace as training material: high, medium or low.';
comment on column v_trace_scores.recommended_for_sft is 'Data Designer''s rule: all five rubrics at least 4 and training_value high (a missing rubric counts as not met); false when no judge scored the trace.';

comment on view v_sft_candidates is 'One row per trace with what decides whether it becomes an SFT example: its rubric scores (v_trace_scores), the latest results of the shipped heuristic judges, and Data Designer''s recommendation.';
comment on column v_sft_candidates.trace_id is 'The trace.';
comment on column v_sft_candidates.source_kind is 'The agent that wrote the transcript: claude_code or codex.';
comment on column v_sft_candidates.root_session_id is 'The session the trace belongs to: its own id for a main session, the parent session''s for a sub-agent.';
comment on column v_sft_candidates.is_sidechain is 'True for a sub-agent (sidechain) transcript.';
comment on column v_sft_candidates.project_path is 'The project folder.';
comment on column v_sft_candidates.git_branch is 'The git branch the session recorded; null when there is none.';
comment on column v_sft_candidates.started_at is 'The earliest line timestamp of the transcript.';
comment on column v_sft_candidates.message_count is 'The number of messages.';
comment on column v_sft_candidates.tool_call_count is 'The number of tool calls.';
comment on column v_sft_candidates.title is 'Claude Code''s title of the session; null for Codex.';
comment on column v_sft_candidates.judge_run_id is 'The latest judge run that scored the trace on the rubrics; null when none did.';
comment on column v_sft_candidates.judge_name is 'That judge run''s name.';
comment on column v_sft_candidates.groundedness is 'Rubric 0-4: grounded in what the trace did rather than generic filler.';
comment on column v_sft_candidates.standalone_task is 'Rubric 0-4: the instruction is understandable without the trace.';
comment on column v_sft_candidates.response_quality is 'Rubric 0-4: the response is helpful, specific and answers the instruction.';
comment on column v_sft_candidates.faithfulness is 'Rubric 0-4: no invented commands, paths, APIs or code.';
comment on column v_sft_candidates.training_utility is 'Rubric 0-4: worth its tokens in an SFT set.';
comment on column v_sft_candidates.training_value is 'The digest''s verdict on the trace as training material: high, medium or low.';
comment on column v_sft_candidates.tool_error_rate is 'The latest result of the judge tool_error_rate: failed answered tool calls over answered tool calls.';
comment on column v_sft_candidates.ends_with_answer is 'The latest result of the judge ends_with_answer: the trace ends with an assistant answer.';
comment on column v_sft_candidates.has_user_task is 'The latest result of the judge has_user_task: the trace holds a real user prompt.';
comment on column v_sft_candidates.tokens_per_tool_call is 'The latest result of the judge tokens_per_tool_call: tokens processed per tool call.';
comment on column v_sft_candidates.recommended_for_sft is 'Data Designer''s rule: all five rubrics at least 4 and training_value high (a missing rubric counts as not met).';
