-- 019: a reporter's private status link to their report. The token is shown once (in the
-- form's answer, in the acknowledgement mail) and stored as its SHA-256 only; it expires.
CREATE TABLE status_links (
  id          INTEGER PRIMARY KEY,
  report      INTEGER NOT NULL REFERENCES reports(id),
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX status_links_report ON status_links(report);
