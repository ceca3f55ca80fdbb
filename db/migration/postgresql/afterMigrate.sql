-- Flyway runs this after every migrate, whether or not something was migrated: the roles of `tracewh grant-read` get
-- back their read access to views a migration made again, and get the views a new version added
-- (R__reader_grants.sql).
select grant_reader_roles();
