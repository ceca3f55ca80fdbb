-- Secrets found in the text of sessions (issue "Secrets in sessions"). A finding names where the secret is in the
-- stored text and which rule found it, never the secret itself: only a SHA-256 fingerprint of it, so the same key
-- can be followed across sessions. With --secrets redact (the default) the stored text holds [REDACTED:<rule id>]
-- where the secret was, and start/end bound that placeholder; with --secrets detect they bound the secret.
create table secret_findings (
    trace_id            varchar(512) not null references sessions (trace_id) on delete cascade,
    -- the field, the message or tool call and the offset, as one key: a finding keeps its first run while the
    -- session grows around it
    finding_key         varchar(400) not null,
    field               varchar(32) not null,
    message_ordinal     integer,
    tool_call_id        varchar(256),
    start_offset        integer not null,
    end_offset          integer not null,
    rule_id             varchar(128) not null,
    rule_description    varchar(1024) not null,
    line_number         bigint,
    fingerprint         varchar(64) not null,
    redacted            boolean not null,
    row_hash            varchar(64) not null,
    first_run_id        bigint not null,
    last_run_id         bigint not null,
    primary key (trace_id, finding_key),
    constraint secret_findings_field_check check (field in ('text_content', 'reasoning_content', 'arguments', 'result_text',
                                                            'title', 'summary', 'source_meta'))
);
create index secret_findings_rule_idx on secret_findings (rule_id);

-- How a load treated secrets: redact, detect or off, and with which rules.
alter table load_runs add column secrets_mode varchar(16);
alter table load_runs add column secrets_rules varchar(1024);
-- How a file's rows were stored (mode and rule set): a load in another mode or with other rules reads the file
-- again, so its rows are rewritten. Null for files loaded before secrets were looked for: their text is verbatim.
alter table source_files add column secrets varchar(128);

-- The view is made here rather than in R__views.sql, which also runs on warehouses migrated only up to an
-- earlier version (tests make such warehouses), where secret_findings does not exist. Its comments, in the words
-- of docs/views.md, are in {h2,postgresql}/V14_1. A later migration that changes the type of a column it reads
-- (sessions.project_path, source_path, started_at) must drop and make it again, with its comments.
-- One row per secret found in a session's stored text, with the session's project and time so findings can be
-- summed by rule, project and day (tracewh secrets does). The secret itself is in no column: fingerprint is the
-- SHA-256 of it, the same for the same key wherever it appears.
create view v_secret_findings as
select f.trace_id,
       s.source_kind,
       s.project_path,
       s.started_at,
       cast(s.started_at at time zone 'UTC' as date) as "day",
       f.field,
       f.message_ordinal,
       f.tool_call_id,
       f.rule_id,
       f.rule_description,
       f.start_offset,
       f.end_offset,
       s.source_path,
       f.line_number,
       f.fingerprint,
       f.redacted,
       f.first_run_id,
       f.last_run_id
from secret_findings f
join sessions s on s.trace_id = f.trace_id;
