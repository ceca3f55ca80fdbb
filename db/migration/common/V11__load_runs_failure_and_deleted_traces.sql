-- A load that fails after it started says why in its own row (a full disk, a lost connection), not only on stderr.
alter table load_runs add column failure text;
-- Traces a load deleted (a file replaced with --replace-changed, a snapshot that no longer holds a session), next to
-- the per-table counts of deleted messages, tool calls and token rows.
alter table load_runs add column traces_deleted integer not null default 0;
