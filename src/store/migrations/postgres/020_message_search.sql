-- 020: search over messages (../020_message_search.sql). PostgreSQL keeps its trigram index
-- (pg_trgm, a trusted extension shipped with the server) up to date as rows are written, so
-- there is nothing to fill behind intake.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE message_text (
  message  BIGINT PRIMARY KEY REFERENCES messages(id),
  text     TEXT NOT NULL
);
CREATE INDEX message_text_trigrams ON message_text USING gin (text gin_trgm_ops);
