-- H2 has no per-column compression; this version number keeps both vendor histories aligned.
select 1;
