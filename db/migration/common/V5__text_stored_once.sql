-- Text is stored once. Most of a corpus is tool output and plain prompts, and loads wrote each of them two or
-- three times (messages.content as JSON, messages.text_content, tool_calls.result_text), which doubled the
-- database's share of a load and the size of the warehouse.
--   messages.content is null when the content is exactly one text block: that block's text is text_content, and
--   v_messages rebuilds the JSON. Rows written before this version keep their JSON, which stays correct.
--   tool_calls.result_text is null when the tool's output is the text of its result message, which is every
--   case but Codex's JSON-wrapped exec output; v_tool_calls gives the output of every call.
alter table messages alter column content drop not null;
update tool_calls c
set result_text = null
where result_text is not null
  and exists (select 1
              from messages m
              where m.trace_id = c.trace_id
                and m.ordinal = c.result_ordinal
                and m.text_content = c.result_text);
