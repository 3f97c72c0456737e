-- 022: the search index behind intake (../022_search_behind_intake.sql). 020 kept a trigram GIN
-- index on message_text up to date on every insert, which made intake 3.6 times slower on 20 KB
-- mails (docs/perf.md, "Search"). As on SQLite, intake now writes the text only and the worker
-- fills the indexed copy (MessageStore::index_search) up to message_search_done.upto.
DROP INDEX message_text_trigrams;
-- Compressed with lz4 rather than the default pglz, whose cost showed in intake's profile.
ALTER TABLE message_text ALTER COLUMN text SET COMPRESSION lz4;
-- The indexed copy of message_text (derived: `db copy` leaves it out and the worker fills it).
CREATE TABLE message_search (
  message  BIGINT PRIMARY KEY REFERENCES messages(id),
  text     TEXT NOT NULL
);
CREATE INDEX message_search_trigrams ON message_search USING gin (text gin_trgm_ops);
CREATE TABLE message_search_done (
  upto  BIGINT NOT NULL
);
INSERT INTO message_search_done(upto) VALUES (0);
