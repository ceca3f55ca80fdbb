-- LLM judge runs (`tracewh judge llm`): kind llm, with what makes a run reproducible and what it cost. The run
-- records the SHA-256 of the judge's prompt template and answer schema (prompt_sha256), the model asked (model), the
-- model id the endpoint reported (reported_model), the endpoint (base_url; the API key is never stored), the tokens
-- the run used and how many traces it judged and failed. Counters are updated as each trace is committed, so a run
-- stopped by Ctrl-C says what it did.
alter table judge_runs add column prompt_sha256 varchar(64);
alter table judge_runs add column base_url varchar(2048);
alter table judge_runs add column reported_model varchar(256);
alter table judge_runs add column prompt_tokens bigint;
alter table judge_runs add column completion_tokens bigint;
alter table judge_runs add column traces_judged integer;
alter table judge_runs add column traces_failed integer;
alter table judge_runs drop constraint judge_runs_kind_check;
alter table judge_runs drop constraint judge_runs_import_name_check;
alter table judge_runs add constraint judge_runs_kind_check check (kind in ('sql', 'import', 'llm'));
alter table judge_runs add constraint judge_runs_import_name_check check (
    (kind = 'import' and import_name = name and sql_sha256 is null and prompt_sha256 is null)
    or (kind = 'sql' and import_name is null and sql_sha256 is not null and prompt_sha256 is null)
    or (kind = 'llm' and import_name is null and sql_sha256 is null and prompt_sha256 is not null and model is not null));

-- The answer an LLM judge run got for one trace (the JSON that passed the schema), from which its scores came;
-- the digest's free-text fields (user_goal, notable_actions, ...) are kept here.
create table judge_answers (
    judge_run_id       bigint not null references judge_runs (judge_run_id) on delete cascade,
    trace_id           varchar(512) not null references sessions (trace_id) on delete cascade,
    answer             text not null,
    attempts           integer not null,
    prompt_tokens      bigint not null,
    completion_tokens  bigint not null,
    created_at         timestamp with time zone not null,
    primary key (judge_run_id, trace_id)
);

-- A trace an LLM judge run could not score, and why (the endpoint failed, or the answer failed the schema twice).
-- A later run without --rescore tries it again.
create table judge_failures (
    judge_run_id  bigint not null references judge_runs (judge_run_id) on delete cascade,
    trace_id      varchar(512) not null references sessions (trace_id) on delete cascade,
    reason        text not null,
    attempts      integer not null,
    created_at    timestamp with time zone not null,
    primary key (judge_run_id, trace_id)
);
