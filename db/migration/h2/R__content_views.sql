-- v_messages: the messages table with every message's content as JSON blocks. The table stores a message whose
-- content is one text block only as text_content (content is null, see V5); this view rebuilds the block.
-- PostgreSQL 15 has no SQL/JSON constructors, so db/migration/postgresql has its own version.
create or replace view v_messages as
select m.trace_id,
       m.ordinal,
       m.role,
       coalesce(m.content, cast(json_array(json_object('type': 'text', 'text': m.text_content)) as varchar)) as content,
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
       m.last_run_id
from messages m;
