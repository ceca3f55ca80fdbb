-- Loading a trace asks which of its responses another trace already holds (response_id in (...)); without this
-- index H2 scans every usage row of the source kind for each trace, which made loads quadratic.
create index token_usage_response_idx on token_usage (response_id);
