-- token_usage is keyed by response_key, a 64-bit hash of (source_kind, response_id, request_id), instead of those
-- three strings: a smaller index, and on H2 (see its V9) far fewer page writes. Equal keys for different responses
-- fail the load of that file with an error naming both (TraceWriter), never merge two responses.
-- The key: the first 8 bytes, big-endian, of the SHA-256 of the UTF-8 bytes of source_kind, response_id and
-- request_id, each pair separated by a zero byte (text has none). ResponseKey computes the same in Java.
alter table token_usage add column response_key bigint;
update token_usage set response_key =
    ('x' || encode(substring(sha256(convert_to(source_kind, 'UTF8') || '\x00'::bytea || convert_to(response_id, 'UTF8')
        || '\x00'::bytea || convert_to(request_id, 'UTF8')) from 1 for 8), 'hex'))::bit(64)::bigint;
alter table token_usage alter column response_key set not null;
alter table token_usage drop constraint token_usage_pkey, add constraint token_usage_pkey primary key (response_key);
