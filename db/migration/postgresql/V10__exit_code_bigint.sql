-- Exit codes are bigint: Windows codes reach 2^32 (0xC0000005 is 3221225477) and a tool may print any number, and an
-- "Exit code 99999999999" failed its whole file on every load.
-- PostgreSQL changes no column type a view uses, and repeatable migrations run again only when their own text changes:
-- the views that show exit_code are dropped and made again from their stored definitions. A new warehouse has none
-- yet (repeatable migrations run after every versioned one), so there is nothing to keep.
do $$
declare
    tool_calls_view   text := pg_get_viewdef(to_regclass('v_tool_calls'));
    interactions_view text := pg_get_viewdef(to_regclass('v_tool_interactions'));
begin
    drop view if exists v_tool_interactions;
    drop view if exists v_tool_calls;
    alter table tool_calls alter column exit_code type bigint;
    if tool_calls_view is not null then
        execute 'create view v_tool_calls as ' || tool_calls_view;
    end if;
    if interactions_view is not null then
        execute 'create view v_tool_interactions as ' || interactions_view;
    end if;
end
$$;
