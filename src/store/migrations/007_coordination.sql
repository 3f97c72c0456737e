-- 007: coordination (issue 4): the outbox of mails to responders and reporters, the sites each
-- mail names, URL check results, and each site's check schedule.

-- One outgoing mail. Written whole (MIME bytes and Message-ID included) before it is sent, so a
-- crash never loses it and a resend after a crash between SMTP acceptance and the commit carries
-- the same Message-ID.
CREATE TABLE notices (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,            -- notice | renotice | reminder | escalation | ack | closure
  audience     TEXT NOT NULL,            -- responder | reporter (what `stats` counts apart)
  report       INTEGER REFERENCES reports(id),
  org          TEXT NOT NULL DEFAULT '', -- the responding organisation (scorecard)
  org_kind     TEXT NOT NULL DEFAULT '',
  recipients   TEXT NOT NULL,            -- JSON {"to":[...],"cc":[...]}
  language     TEXT NOT NULL,            -- ja | en
  tag          TEXT NOT NULL,            -- "[Kizuna#N12]"
  subject      TEXT NOT NULL,
  body         TEXT NOT NULL,
  reason       TEXT NOT NULL DEFAULT '', -- why these recipients
  status       TEXT NOT NULL,            -- planned | approved | sent | failed | bounced | cancelled
  planned_at   INTEGER NOT NULL,
  approved_at  INTEGER,
  approved_by  TEXT NOT NULL DEFAULT '',
  message_id   TEXT NOT NULL DEFAULT '', -- without <>; fixed when approved
  mime         BLOB,                     -- the exact bytes handed to SMTP (signed/encrypted)
  signed       INTEGER NOT NULL DEFAULT 0,
  encrypted    INTEGER NOT NULL DEFAULT 0,
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error   TEXT NOT NULL DEFAULT '',
  sent_at      INTEGER
);
CREATE INDEX notices_status ON notices(status, next_attempt_at);
CREATE INDEX notices_message_id ON notices(message_id);
CREATE INDEX notices_report ON notices(report);

CREATE TABLE notice_sites (
  notice INTEGER NOT NULL REFERENCES notices(id),
  site   INTEGER NOT NULL REFERENCES sites(id),
  PRIMARY KEY (notice, site)
);
CREATE INDEX notice_sites_site ON notice_sites(site);

-- One fetch of a site by the checker. Evidence: the first 256 KiB of the body.
CREATE TABLE site_checks (
  id          INTEGER PRIMARY KEY,
  site        INTEGER NOT NULL REFERENCES sites(id),
  checked_at  INTEGER NOT NULL,
  verdict     TEXT NOT NULL,   -- live | down | unknown | blocked
  reason      TEXT NOT NULL,   -- why: "404", "name does not resolve", "same content", "parked page" ...
  http_status INTEGER NOT NULL DEFAULT 0,
  final_url   TEXT NOT NULL DEFAULT '',
  error       TEXT NOT NULL DEFAULT '',  -- DNS / TLS / connection error
  fingerprint TEXT NOT NULL DEFAULT '',
  title       TEXT NOT NULL DEFAULT '',
  user_agent  TEXT NOT NULL DEFAULT '',
  evidence    BLOB
);
CREATE INDEX site_checks_site ON site_checks(site, checked_at);

-- The checker's state per site.
ALTER TABLE sites ADD COLUMN reference_fingerprint TEXT NOT NULL DEFAULT ''; -- the reported page
ALTER TABLE sites ADD COLUMN down_streak INTEGER NOT NULL DEFAULT 0;        -- consecutive down checks
ALTER TABLE sites ADD COLUMN next_check_at INTEGER;                         -- NULL: not scheduled
ALTER TABLE sites ADD COLUMN watch_step INTEGER NOT NULL DEFAULT 0;         -- revival checks done since down_verified
ALTER TABLE sites ADD COLUMN down_verified_at INTEGER;
ALTER TABLE sites ADD COLUMN first_notified_at INTEGER;
ALTER TABLE sites ADD COLUMN last_notified_at INTEGER;
ALTER TABLE sites ADD COLUMN replied_at INTEGER;
ALTER TABLE sites ADD COLUMN revivals INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN org TEXT NOT NULL DEFAULT '';                   -- who was notified
CREATE INDEX sites_next_check ON sites(next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX sites_state ON sites(state);

-- Bounces recorded against the contact address.
CREATE TABLE contact_bounces (
  address TEXT NOT NULL,
  at      INTEGER NOT NULL,
  notice  INTEGER REFERENCES notices(id),
  reason  TEXT NOT NULL
);
CREATE INDEX contact_bounces_address ON contact_bounces(address);

-- Reports acknowledged to their reporter (once per report).
ALTER TABLE reports ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE reports ADD COLUMN reporter_told_at INTEGER;  -- the closure mail was planned
ALTER TABLE reports ADD COLUMN disclose_reporter INTEGER NOT NULL DEFAULT 0;  -- responders may see who reported
