-- 011: raw bytes beyond the first part, in chunks. A message too large to hold in memory (over
-- [intake] max_message_bytes: it is stored, never parsed) arrives with its tail in a spill file;
-- the tail is copied here in chunks of 16 MiB, so that no message has to fit in memory or in one
-- SQLite value (at most 1,000,000,000 bytes). message_raw.raw holds the first part, as before;
-- almost every message has no row here.
CREATE TABLE message_raw_more (
  message INTEGER NOT NULL REFERENCES messages(id),
  seq     INTEGER NOT NULL,  -- 1, 2, ... in order after message_raw.raw
  bytes   BLOB NOT NULL,
  PRIMARY KEY (message, seq)
);
