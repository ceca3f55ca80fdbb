-- The row tables drop their foreign keys to load_runs (first_run_id, last_run_id): see the PostgreSQL version of
-- this migration for why. H2 named V1's inline foreign keys itself, CONSTRAINT_ and a prefix of the hex hash of
-- the table name, in the order of the columns.
alter table messages drop constraint "CONSTRAINT_E4";
alter table messages drop constraint "CONSTRAINT_E47";
alter table tool_calls drop constraint "CONSTRAINT_FE";
alter table tool_calls drop constraint "CONSTRAINT_FE7";
alter table token_usage drop constraint "CONSTRAINT_BB";
alter table token_usage drop constraint "CONSTRAINT_BB9";
