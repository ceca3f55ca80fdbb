-- Exit codes are bigint: Windows codes reach 2^32 (0xC0000005 is 3221225477) and a tool may print any number, and an
-- "Exit code 99999999999" failed its whole file on every load. H2 compiles the views over tool_calls again itself.
alter table tool_calls alter column exit_code set data type bigint;
