-- 003: raw bytes in their own table. A message row is written twice at intake (raw first,
-- then what parsing found); with the raw bytes inside it, SQLite rewrote every message's
-- bytes on that update. The raw table is written once and never changed.
CREATE TABLE message_raw (
  message INTEGER PRIMARY KEY REFERENCES messages(id),
  raw     BLOB NOT NULL          -- the bytes as received (CSAM: evidence payloads removed)
);
INSERT INTO message_raw(message, raw) SELECT id, raw FROM messages;
ALTER TABLE messages DROP COLUMN raw;
