-- 003: raw bytes in their own table, written once and never changed (../003_raw_apart.sql).
-- message is the messages row's id, always given: a plain BIGINT key, not an identity.
CREATE TABLE message_raw (
  message BIGINT PRIMARY KEY REFERENCES messages(id),
  raw     BYTEA NOT NULL         -- the bytes as received (CSAM: evidence payloads removed)
);
INSERT INTO message_raw(message, raw) SELECT id, raw FROM messages;
ALTER TABLE messages DROP COLUMN raw;
