-- 002: the thread and X-ARF look-ups bind their value as a parameter, which a partial index
-- (WHERE x <> '') cannot serve. Plain indexes instead, as in ../002_full_lookup_indexes.sql
-- (001 created the same partial indexes here, so the same step applies).
DROP INDEX messages_message_id;
CREATE INDEX messages_message_id ON messages(message_id);
DROP INDEX reports_xarf;
CREATE INDEX reports_xarf ON reports(xarf_report_id);
CREATE INDEX message_refs_ref ON message_refs(ref);
