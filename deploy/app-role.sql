-- Least privilege (README "Security"): the login role the API connects as. It owns
-- nothing and may create nothing; `pathways migrate` (run as the owner with
-- PATHWAYS_APP_ROLE=pathways_app) grants it SELECT, INSERT, UPDATE, DELETE on the tables.
-- Idempotent: docker-compose.yml's one-shot `roles` service runs it on every start
-- (psql -v app_password=...), so a changed APP_DB_PASSWORD takes effect.
SELECT format('CREATE ROLE pathways_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pathways_app')
\gexec
SELECT format('ALTER ROLE pathways_app LOGIN PASSWORD %L', :'app_password')
\gexec
-- PostgreSQL 15 creates databases this way already; explicit for older-initialised volumes.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
