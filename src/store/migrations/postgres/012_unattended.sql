-- 012: what running unattended needs to remember (issue 12).
-- The message's own date: the centre's own Received:, the mbox "From " line, else Date:. NULL when
-- it had none (received_at then holds the time of ingest).
ALTER TABLE messages ADD COLUMN dated_at BIGINT;
-- Why a machine sent the message (Auto-Submitted, bulk or list mail, X-ARF, ARF, a bounce): its
-- sender gets no mail from the centre. '' when a person wrote it.
ALTER TABLE messages ADD COLUMN automatic TEXT NOT NULL DEFAULT '';
-- Whether the reporter is mailed (acknowledgement, closure): NULL not decided yet, '' yes, else
-- the reason not.
ALTER TABLE reports ADD COLUMN reporter_mail TEXT;
-- Mails to reporters in a recent window, for the rate limits.
CREATE INDEX notices_reporter_planned ON notices(planned_at) WHERE audience = 'reporter';
-- Facts about this database as a whole: the demo flag, the SMTP circuit breaker.
-- (SQLite's WITHOUT ROWID has no PostgreSQL counterpart: a plain table with its primary key.)
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
