-- token_usage is keyed by response_key, a 64-bit hash of (source_kind, response_id, request_id), instead of those
-- three strings. Usage rows arrive in random key order, so every insert changes a random page of the key's index,
-- and H2 writes each changed page again at the next commit: with 70-byte string entries that was 190 MB of the
-- 1 GB file a 1 GB load leaves, and 10-12 % of the load's time. Equal keys for different responses fail the load of
-- that file with an error naming both (TraceWriter), never merge two responses.
-- The key: the first 8 bytes, big-endian, of the SHA-256 of the UTF-8 bytes of source_kind, response_id and
-- request_id, each pair separated by a zero byte (stored text has none). ResponseKey computes the same in Java.
-- A unique constraint, not a primary key: H2 stores a table's rows in the order of a one-column integer primary key,
-- which would scatter whole rows as randomly as the index entries (measured: no faster than the string key).
alter table token_usage add column response_key bigint;
update token_usage set response_key = cast(substring(hash('SHA-256',
    stringtoutf8(source_kind) || X'00' || stringtoutf8(response_id) || X'00' || stringtoutf8(request_id)) from 1 for 8) as bigint);
alter table token_usage alter column response_key set not null;
alter table token_usage drop primary key;
alter table token_usage add constraint token_usage_response_key unique (response_key);
