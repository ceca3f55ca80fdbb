-- The documented SQL API (docs/views.md). Tables may change between versions; these views keep their columns.
-- v_traces, v_messages and v_tool_calls have JSON columns, jsonb on PostgreSQL: they are defined per database in
-- db/migration/{h2,postgresql}/R__content_views.sql. Their comments are in R__views_comments.sql.

-- Tokens per UTC day, source and model. input_tokens excludes cached input. The sums are bigint: PostgreSQL's sum of
-- bigint is numeric, which BI tools show as a decimal. A day's sum fits: counts are at most 10^11 (a larger one is a
-- line issue), so 9 * 10^7 responses a day at that bound still fit.
create or replace view v_usage_daily as
select cast(created_at at time zone 'UTC' as date) as "day",
       source_kind,
       model,
       count(*) as responses,
       cast(sum(input_tokens) as bigint) as input_tokens,
       cast(sum(cache_creation_input_tokens) as bigint) as cache_creation_input_tokens,
       cast(sum(cache_read_input_tokens) as bigint) as cache_read_input_tokens,
       cast(sum(output_tokens) as bigint) as output_tokens,
       cast(sum(reasoning_output_tokens) as bigint) as reasoning_output_tokens
from token_usage
group by cast(created_at at time zone 'UTC' as date), source_kind, model;
