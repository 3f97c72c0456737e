-- 018: a handler's work on a report and the server's login sessions.
-- A report may be assigned to one user (the handler working it; an assigned handler also sees a
-- TLP:RED report). Internal notes are the centre's own: never shown to a reporter or a responder.
ALTER TABLE reports ADD COLUMN assignee INTEGER REFERENCES users(id);
CREATE INDEX reports_assignee ON reports(assignee) WHERE assignee IS NOT NULL;
CREATE TABLE report_notes (
  id         INTEGER PRIMARY KEY,
  report     INTEGER NOT NULL REFERENCES reports(id),
  author     TEXT NOT NULL,             -- the actor, as the event log names it (user:<name>)
  created_at INTEGER NOT NULL,
  body       TEXT NOT NULL
);
CREATE INDEX report_notes_report ON report_notes(report);

-- A login in a browser: the cookie's value is shown once and stored as its SHA-256 only, like an
-- API token. The CSRF token is derived from the cookie's value, so it is not stored either.
CREATE TABLE sessions (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  token_hash   TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,      -- absolute end, whatever the activity
  last_seen_at INTEGER NOT NULL,      -- idle sessions end [server] session_idle_minutes after this
  ended_at     INTEGER,               -- logged out, or ended by an admin
  client       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
-- Failed logins of an account, for its rate limit (every server process on the database counts
-- the same failures). A success resets the count.
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_failed_login INTEGER;
-- A second factor (RFC 6238 TOTP): the shared secret (base32; it must be readable to check a
-- code, so it is as sensitive as the database) and the last time step accepted, so that a code
-- seen once cannot be replayed.
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
