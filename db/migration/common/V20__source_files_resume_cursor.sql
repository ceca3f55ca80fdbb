-- Where the next load of a file may resume, as the file's format returned it (OpenCode: the newest session update
-- time of its SQLite database seen, so a database that changed is read only for the sessions that changed). Null for
-- the formats that read their files whole, and for files loaded before this version.
alter table source_files add column resume_cursor varchar(4000);
