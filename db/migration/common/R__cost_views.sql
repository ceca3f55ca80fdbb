-- What a model response cost, from the prices in model_prices (see V19__model_prices.sql). Costs are exact decimals
-- in USD; a response whose model has no price has a null cost and priced false, never 0.

-- The price entry each model name of token_usage not yet in model_price_matches takes: genai-prices' rule, the first
-- provider and then the first of its models whose rule matches the name (equals, starts_with, ends_with and contains
-- ignore case; a regex is searched, case-sensitive), the list of highest precedence first. A name no rule matches has
-- a null entry. Load and `tracewh prices import` write these rows into model_price_matches; this view is not for
-- readers.
create or replace view model_price_matches_due as
select names.model,
       chosen.price_list_id,
       chosen.provider,
       chosen.model_id
from (select distinct model
      from token_usage t
      where model is not null
        and not exists (select 1 from model_price_matches m where m.model = t.model)) names
left join (select candidates.model, candidates.price_list_id, candidates.provider, candidates.model_id
           from (select n.model, p.price_list_id, p.provider, p.model_id,
                        row_number() over (partition by n.model
                                           order by l.precedence desc, p.provider_rank, p.model_rank, p.model_price_id) as choice
                 from (select distinct model from token_usage where model is not null) n
                 join model_prices p
                   on case p.match_kind
                          when 'equals' then lower(n.model) = lower(p.match_value)
                          when 'starts_with' then left(lower(n.model), char_length(p.match_value)) = lower(p.match_value)
                          when 'ends_with' then right(lower(n.model), char_length(p.match_value)) = lower(p.match_value)
                          when 'contains' then position(lower(p.match_value) in lower(n.model)) > 0
                          -- in a case branch, so a pattern is only ever compiled for a regex rule
                          when 'regex' then n.model ~ p.match_value
                      end
                 join price_lists l on l.price_list_id = p.price_list_id) candidates
           where candidates.choice = 1) chosen on chosen.model = names.model;

-- One row per model response of token_usage with the price row it takes and the cost of each kind of token. The
-- price row is the model name's entry (model_price_matches) for the response's UTC day and input-token tier: input
-- tokens here are uncached input, cache writes and cache reads together, and the tier they fall in prices every token
-- of the response. Cache writes are split into 5-minute and 1-hour ones (Claude Code writes the split); output tokens
-- include reasoning, priced at the reasoning price where the list gives one, else as output. Prices a list leaves out
-- fall back as genai-prices does. An unpriced response (no entry, no row for its day) has null costs, never 0.
create or replace view v_cost_responses as
select r.source_kind,
       r.trace_id,
       r.response_id,
       r.request_id,
       r.model,
       r.created_at,
       r.input_tokens,
       r.cache_write_5m_tokens,
       r.cache_write_1h_tokens,
       r.cache_read_input_tokens,
       r.output_tokens,
       r.reasoning_output_tokens,
       r.priced,
       r.price_list_id,
       r.model_price_id,
       r.provider,
       r.price_model_id,
       case when r.priced then cast(r.input_tokens * r.input_usd_mtok * 0.000001 as numeric(38, 16)) end as input_cost_usd,
       case when r.priced then cast(r.cache_write_5m_tokens * r.cache_write_5m_usd_mtok * 0.000001 as numeric(38, 16)) end as cache_write_5m_cost_usd,
       case when r.priced then cast(r.cache_write_1h_tokens * r.cache_write_1h_usd_mtok * 0.000001 as numeric(38, 16)) end as cache_write_1h_cost_usd,
       case when r.priced then cast(r.cache_read_input_tokens * r.cache_read_usd_mtok * 0.000001 as numeric(38, 16)) end as cache_read_cost_usd,
       case when r.priced then cast((r.output_tokens - r.reasoning_output_tokens) * r.output_usd_mtok * 0.000001 as numeric(38, 16)) end as output_cost_usd,
       case when r.priced then cast(r.reasoning_output_tokens * r.reasoning_usd_mtok * 0.000001 as numeric(38, 16)) end as reasoning_cost_usd,
       case when r.priced then cast((r.input_tokens * r.input_usd_mtok
                                     + r.cache_write_5m_tokens * r.cache_write_5m_usd_mtok
                                     + r.cache_write_1h_tokens * r.cache_write_1h_usd_mtok
                                     + r.cache_read_input_tokens * r.cache_read_usd_mtok
                                     + (r.output_tokens - r.reasoning_output_tokens) * r.output_usd_mtok
                                     + r.reasoning_output_tokens * r.reasoning_usd_mtok) * 0.000001 as numeric(38, 16)) end as cost_usd
from (select u.source_kind,
             u.trace_id,
             u.response_id,
             u.request_id,
             u.model,
             u.created_at,
             u.input_tokens,
             u.cache_creation_input_tokens - u.cache_creation_1h_input_tokens as cache_write_5m_tokens,
             u.cache_creation_1h_input_tokens as cache_write_1h_tokens,
             u.cache_read_input_tokens,
             u.output_tokens,
             u.reasoning_output_tokens,
             p.model_price_id is not null and p.input_usd_mtok is not null and p.output_usd_mtok is not null as priced,
             p.price_list_id,
             p.model_price_id,
             p.provider,
             p.model_id as price_model_id,
             p.input_usd_mtok,
             coalesce(p.cache_write_5m_usd_mtok, p.input_usd_mtok) as cache_write_5m_usd_mtok,
             coalesce(p.cache_write_1h_usd_mtok, p.cache_write_5m_usd_mtok, p.input_usd_mtok) as cache_write_1h_usd_mtok,
             coalesce(p.cache_read_usd_mtok, p.input_usd_mtok) as cache_read_usd_mtok,
             p.output_usd_mtok,
             coalesce(p.reasoning_usd_mtok, p.output_usd_mtok) as reasoning_usd_mtok
      from token_usage u
      left join model_price_matches m on m.model = u.model
      left join model_prices p
        on p.price_list_id = m.price_list_id and p.provider = m.provider and p.model_id = m.model_id
       and p.match_alternative = 0
       -- a response without a time takes today's price
       and (p.valid_from is null or p.valid_from <= coalesce(cast(u.created_at at time zone 'UTC' as date), current_date))
       and (p.valid_until is null or coalesce(cast(u.created_at at time zone 'UTC' as date), current_date) < p.valid_until)
       and (p.input_tokens_over is null or u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens > p.input_tokens_over)
       and (p.input_tokens_upto is null or u.input_tokens + u.cache_creation_input_tokens + u.cache_read_input_tokens <= p.input_tokens_upto)) r;

-- Cost per UTC day, source, model and project (the trace's project_path). cost_usd sums the priced responses and is
-- null when none of the group's is priced; where unpriced_responses is not 0, it is a lower bound.
create or replace view v_cost_daily as
select cast(c.created_at at time zone 'UTC' as date) as "day",
       c.source_kind,
       c.model,
       s.project_path,
       count(*) as responses,
       count(case when not c.priced then 1 end) as unpriced_responses,
       cast(sum(c.input_tokens) as bigint) as input_tokens,
       cast(sum(c.cache_write_5m_tokens) as bigint) as cache_write_5m_tokens,
       cast(sum(c.cache_write_1h_tokens) as bigint) as cache_write_1h_tokens,
       cast(sum(c.cache_read_input_tokens) as bigint) as cache_read_input_tokens,
       cast(sum(c.output_tokens) as bigint) as output_tokens,
       cast(sum(c.reasoning_output_tokens) as bigint) as reasoning_output_tokens,
       cast(sum(c.cost_usd) as numeric(38, 16)) as cost_usd
from v_cost_responses c
join sessions s on s.trace_id = c.trace_id
group by cast(c.created_at at time zone 'UTC' as date), c.source_kind, c.model, s.project_path;

-- Cost per root session, its sub-agents included (the grouping of v_session_rollup: a fork is a session of its own).
-- Each response has one token_usage row owned by one trace, so a response that a parent and a sub-agent both record
-- counts once.
create or replace view v_cost_sessions as
select s.source_kind,
       s.root_session_id,
       min(s.project_path) as project_path,
       count(*) as trace_count,
       min(s.started_at) as started_at,
       max(s.ended_at) as ended_at,
       cast(coalesce(sum(c.responses), 0) as bigint) as responses,
       cast(coalesce(sum(c.unpriced_responses), 0) as bigint) as unpriced_responses,
       cast(sum(c.cost_usd) as numeric(38, 16)) as cost_usd
from sessions s
left join (select trace_id,
                  count(*) as responses,
                  count(case when not priced then 1 end) as unpriced_responses,
                  sum(cost_usd) as cost_usd
           from v_cost_responses
           group by trace_id) c on c.trace_id = s.trace_id
group by s.source_kind, s.root_session_id;
