-- Many machines load one warehouse: a source file is identified by the host it was read on and its path, so two
-- machines with the same path (containers, CI runners, identical home folders) keep separate file states, and a
-- load marks missing only files of its own host. Rows from before have no host (''): the first load on a machine
-- that finds such a path claims it for its host.
alter table source_files add column source_host varchar(255) default '' not null;
alter table source_files drop constraint source_files_pkey;
alter table source_files add primary key (source_host, path);
-- the host of the file a session was loaded from; null for sessions loaded before hosts were recorded
alter table sessions add column source_host varchar(255);
-- which host a load ran on, for runs and errors
alter table load_runs add column source_host varchar(255);
-- a load's lock scope now names its host, whose name can be long
alter table load_locks alter column scope set data type varchar(400);
alter table load_runs alter column lock_scope set data type varchar(400);
