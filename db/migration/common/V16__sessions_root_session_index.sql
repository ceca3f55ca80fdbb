-- v_traces looks for a sub-agent's spawning call among the other traces of its root session.
create index sessions_root_session_idx on sessions (root_session_id);
