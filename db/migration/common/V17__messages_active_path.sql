-- Where each message sits in the conversation tree (Claude Code rewinds keep the abandoned lines in the file):
-- branch 0 is the active path, the conversation as it ended; from 1, branches a rewind abandoned. Rows written
-- before this version were never placed: they stay on the active path, as every message counted before.
alter table messages add column is_active_path boolean default true not null;
alter table messages add column branch integer default 0 not null;

-- Placing them needs each Claude Code file read again: forgetting the files' mtimes makes the next load read each
-- one in full (same bytes, so no file_rewritten) and merge its messages with their branches. A file gone from disk
-- keeps its rows as they are.
update source_files set modified_at = timestamp with time zone '1970-01-01 00:00:00+00' where source_kind = 'claude_code';
