-- The roles `tracewh grant-read` gave read access to the views. Reader roles are PostgreSQL's (grant-read refuses H2);
-- the table is here too so that both databases have one schema.
create table reader_roles (
    role_name   varchar(128) primary key,
    granted_at  timestamp with time zone not null
);
