-- A load that was killed (SIGKILL, out of memory, power loss) never finished its load_runs row. The next load of the
-- same lock scope holds that scope's lock, so no run of the scope can still be going: it marks such rows interrupted.
-- lock_scope says which scope a run held ("load", or "load shard 2/4"); runs from before this migration have none.
alter table load_runs add column lock_scope varchar(64);
alter table load_runs drop constraint load_runs_status_check;
alter table load_runs add constraint load_runs_status_check
    check (status in ('running', 'succeeded', 'partial', 'failed', 'interrupted'));
