-- 002: the thread and X-ARF look-ups bind their value as a parameter, which a partial index
-- (WHERE x <> '') cannot serve. Plain indexes instead, as in ../002_full_lookup_indexes.sql
-- (001 created the same partial indexes here, so the same step applies).
-- Hash indexes: these values come from outside (a Message-ID or Reference of any length) and
-- are only ever looked up by equality; a B-tree entry cannot exceed a third of a page (about
-- 2,700 bytes), a hash entry holds only the hash (tests/hostile: long_tokens_everywhere).
DROP INDEX messages_message_id;
CREATE INDEX messages_message_id ON messages USING hash (message_id);
DROP INDEX reports_xarf;
CREATE INDEX reports_xarf ON reports USING hash (xarf_report_id);
CREATE INDEX message_refs_ref ON message_refs USING hash (ref);
