-- 011: raw bytes beyond the first part, in chunks of 16 MiB (../011_raw_in_chunks.sql).
-- message_raw.raw holds the first part, as before; almost every message has no row here.
CREATE TABLE message_raw_more (
  message BIGINT NOT NULL REFERENCES messages(id),
  seq     BIGINT NOT NULL,   -- 1, 2, ... in order after message_raw.raw
  bytes   BYTEA NOT NULL,
  PRIMARY KEY (message, seq)
);
