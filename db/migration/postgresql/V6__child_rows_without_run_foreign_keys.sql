-- The row tables drop their foreign keys to load_runs (first_run_id, last_run_id). A foreign key is checked by a
-- lookup for every inserted row, and these two made up two thirds of those lookups: without them, a load of the
-- 1 GB benchmark corpus took 19 s instead of 24 s, with 9 instead of 13 CPU-seconds in the PostgreSQL backend.
-- Run ids are audit columns written only by the loader, which creates its load_runs row first, and load_runs
-- rows are never deleted. The trace_id keys stay: they delete a trace's rows with it.
alter table messages drop constraint messages_first_run_id_fkey, drop constraint messages_last_run_id_fkey;
alter table tool_calls drop constraint tool_calls_first_run_id_fkey, drop constraint tool_calls_last_run_id_fkey;
alter table token_usage drop constraint token_usage_first_run_id_fkey, drop constraint token_usage_last_run_id_fkey;
