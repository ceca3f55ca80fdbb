-- The part of cache_creation_input_tokens written to the prompt cache with a 1-hour TTL, which is priced at the
-- 1-hour cache-write rate (the rest is 5-minute writes). It is 0 where the source does not split its cache writes
-- (Codex, Pi, OpenClaw, ATIF, Claude Code lines without usage.cache_creation). Rows loaded before this version stay
-- 0 until their file is read again (a changed file, or `load --full-refresh`).
alter table token_usage add column cache_creation_1h_input_tokens bigint default 0 not null;
