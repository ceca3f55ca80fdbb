-- PostgreSQL only: large text columns compress with lz4 (faster than the default pglz on load).
alter table messages alter column content set compression lz4;
alter table messages alter column text_content set compression lz4;
alter table messages alter column reasoning_content set compression lz4;
alter table tool_calls alter column arguments set compression lz4;
alter table tool_calls alter column result_text set compression lz4;
