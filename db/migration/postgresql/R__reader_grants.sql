-- Gives every role of reader_roles (recorded by `tracewh grant-read ROLE`) that still exists USAGE on the warehouse's
-- schema and SELECT on each of its v_* views, and nothing else; returns how many grants it made. Views are made by
-- repeatable migrations: one that is dropped and made again (a column type change) has lost its grants, and one
-- that a later version adds has none. So afterMigrate.sql calls this after every migration, and grant-read calls it
-- too. Default privileges (ALTER DEFAULT PRIVILEGES ... GRANT SELECT ON TABLES) would cover new views as well, but
-- also every new table, which a reader must not see.
-- Only what the caller may grant is granted: a role that is not the views' owner runs migrations that change nothing
-- and skips the rest. Grants on one object in two sessions at once fail ("tuple concurrently updated"), as when
-- several loads start together after an upgrade: a transaction-scoped advisory lock ("tw", "rg") makes them take
-- turns (the load lock uses the one-key space, token usage the key ("tw", "us")).
create or replace function grant_reader_roles() returns integer
language plpgsql
as $$
declare
    missing record;
    granted integer := 0;
begin
    if to_regclass('reader_roles') is null then
        -- a schema migrated only up to a version before V12 (tests build such schemas)
        return 0;
    end if;
    perform pg_advisory_xact_lock(29815, 29287);  -- 0x7477, 0x7267: "tw", "rg"
    for missing in
        select r.role_name, n.nspname as schema_name, null as view_name
        from reader_roles r
        join pg_roles p on p.rolname = r.role_name
        join pg_namespace n on n.oid = to_regnamespace(current_schema())
        where not has_schema_privilege(r.role_name, n.oid, 'USAGE')
          and has_schema_privilege(n.oid, 'USAGE WITH GRANT OPTION')
        union all
        select r.role_name, null, c.relname
        from reader_roles r
        join pg_roles p on p.rolname = r.role_name
        join pg_class c on c.relnamespace = to_regnamespace(current_schema()) and c.relkind = 'v' and starts_with(c.relname, 'v_')
        where not has_table_privilege(r.role_name, c.oid, 'SELECT')
          and has_table_privilege(c.oid, 'SELECT WITH GRANT OPTION')
    loop
        if missing.view_name is null then
            execute format('grant usage on schema %I to %I', missing.schema_name, missing.role_name);
        else
            execute format('grant select on %I.%I to %I', current_schema(), missing.view_name, missing.role_name);
        end if;
        granted := granted + 1;
    end loop;
    return granted;
end
$$;
