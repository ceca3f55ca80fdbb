-- One row per lock scope ("load", or "load shard 2/8"). A load holds its row locked for its whole run on a
-- connection of its own; on PostgreSQL it takes an advisory lock instead and the table only lists scopes.
create table load_locks (
    scope        varchar(128) primary key,
    holder       varchar(256),
    acquired_at  timestamp with time zone
);
