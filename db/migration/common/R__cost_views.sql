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
