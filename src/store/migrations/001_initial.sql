-- 001: messages, reports, incidents, sites, indicators, reporters, the event log.
-- Times are INTEGER seconds since the Unix epoch, UTC.

-- Every message exactly as received, content-addressed: stored before anything parses it.
CREATE TABLE messages (
  id            INTEGER PRIMARY KEY,
  sha256        TEXT NOT NULL UNIQUE,
  raw           BLOB NOT NULL,          -- the bytes as received (CSAM: evidence payloads removed)
  size          INTEGER NOT NULL,
  channel       TEXT NOT NULL,          -- email | xarf | form | stdin
  source        TEXT NOT NULL DEFAULT '',-- file path / mailbox position it came from
  received_at   INTEGER NOT NULL,       -- places the message in a quarter
  ingested_at   INTEGER NOT NULL,
  sender        TEXT NOT NULL DEFAULT '',
  subject       TEXT NOT NULL DEFAULT '',
  message_id    TEXT NOT NULL DEFAULT '',
  purpose       TEXT NOT NULL DEFAULT 'incident', -- incident|question|information|consultation|reply
  parse_status  TEXT NOT NULL,          -- ok | partial | quarantined
  parse_error   TEXT NOT NULL DEFAULT '',
  format        TEXT NOT NULL DEFAULT 'none', -- none | xarf-0.2 | xarf-3 | xarf-4 | arf | form
  signature     TEXT NOT NULL DEFAULT 'none', -- none | valid | bad | unknown-key | error
  signer        TEXT NOT NULL DEFAULT '',
  encrypted     INTEGER NOT NULL DEFAULT 0,   -- 1 = was encrypted; 2 = could not be decrypted
  csam          INTEGER NOT NULL DEFAULT 0,
  tlp           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX messages_received ON messages(received_at);
CREATE INDEX messages_message_id ON messages(message_id) WHERE message_id <> '';

-- Message-IDs a message refers to (In-Reply-To, References): thread merging.
CREATE TABLE message_refs (
  message INTEGER NOT NULL REFERENCES messages(id),
  ref     TEXT NOT NULL
);
CREATE INDEX message_refs_message ON message_refs(message);

CREATE TABLE reporters (
  id          INTEGER PRIMARY KEY,
  address     TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL DEFAULT '',
  org_domain  TEXT NOT NULL DEFAULT '',
  tld         TEXT NOT NULL DEFAULT '',
  kind        TEXT NOT NULL DEFAULT 'other', -- csirt|security-service|bank|ecommerce|isp|individual|other
  domestic    INTEGER NOT NULL DEFAULT 0,
  disclose    INTEGER NOT NULL DEFAULT 0     -- may the reporter's identity be given to responders
);

CREATE TABLE reports (
  id              INTEGER PRIMARY KEY,
  created_at      INTEGER NOT NULL,          -- received time of the first message
  status          TEXT NOT NULL DEFAULT 'open', -- open | closed
  closed_at       INTEGER,
  type            TEXT NOT NULL,
  subtype         TEXT NOT NULL DEFAULT '',
  rsit_taxonomy   TEXT NOT NULL DEFAULT '',
  rsit_type       TEXT NOT NULL DEFAULT '',
  reporter        INTEGER REFERENCES reporters(id),
  tld             TEXT NOT NULL DEFAULT '',  -- the first sender's TLD, kept for the quarter's figures
  xarf_report_id  TEXT NOT NULL DEFAULT '',
  brand           TEXT NOT NULL DEFAULT '',
  brand_origin    TEXT NOT NULL DEFAULT '',  -- domestic | foreign | unknown (phishing only)
  tlp             TEXT NOT NULL DEFAULT '',
  csam            INTEGER NOT NULL DEFAULT 0,
  linked_report   INTEGER REFERENCES reports(id), -- "same host": an earlier report on this IP
  summary         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reports_created ON reports(created_at);
CREATE INDEX reports_xarf ON reports(xarf_report_id) WHERE xarf_report_id <> '';

CREATE TABLE report_messages (
  report   INTEGER NOT NULL REFERENCES reports(id),
  message  INTEGER NOT NULL REFERENCES messages(id) UNIQUE,
  role     TEXT NOT NULL               -- first | followup | second-reporter | reply
);
CREATE INDEX report_messages_report ON report_messages(report);

CREATE TABLE report_tags (
  report INTEGER NOT NULL REFERENCES reports(id),
  tag    TEXT NOT NULL,                -- method:brute-force, after:tampering, ...
  UNIQUE(report, tag)
);

-- One per distinct reported address per report (or per host until it resolves).
CREATE TABLE incidents (
  id            INTEGER PRIMARY KEY,
  report        INTEGER NOT NULL REFERENCES reports(id),
  ip            TEXT,                    -- canonical text form; NULL while keyed by host
  host          TEXT,
  type          TEXT NOT NULL,
  subtype       TEXT NOT NULL DEFAULT '',
  rsit_taxonomy TEXT NOT NULL DEFAULT '',
  rsit_type     TEXT NOT NULL DEFAULT '',
  brand         TEXT NOT NULL DEFAULT '',
  brand_origin  TEXT NOT NULL DEFAULT '',
  first_seen    INTEGER,                 -- earliest time in the evidence, if any
  created_at    INTEGER NOT NULL,
  UNIQUE(report, ip),
  UNIQUE(report, host)
);
CREATE INDEX incidents_ip ON incidents(ip);
CREATE INDEX incidents_report ON incidents(report);

-- Destination ports an incident's source was seen on (scan): counts decide the port line
-- or "comprehensive" in the quarter's figures.
CREATE TABLE incident_ports (
  incident INTEGER NOT NULL REFERENCES incidents(id),
  proto    TEXT NOT NULL,
  port     INTEGER NOT NULL,
  hits     INTEGER NOT NULL DEFAULT 1,
  UNIQUE(incident, proto, port)
);

-- Sites (URLs) hosted on an incident's address: coordination works per site.
CREATE TABLE sites (
  id        INTEGER PRIMARY KEY,
  incident  INTEGER NOT NULL REFERENCES incidents(id),
  url       TEXT NOT NULL,
  host      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE(incident, url)
);
CREATE INDEX sites_url ON sites(url);

-- Everything extracted from a message, with its role.
CREATE TABLE indicators (
  message  INTEGER NOT NULL REFERENCES messages(id),
  kind     TEXT NOT NULL,     -- ip | cidr | url | domain | email | md5 | sha1 | sha256
  value    TEXT NOT NULL,
  role     TEXT NOT NULL,     -- reported | victim | mentioned
  source   TEXT NOT NULL DEFAULT '' -- body | attachment:NAME | log:sshd | xarf | arf ...
);
CREATE INDEX indicators_message ON indicators(message);
CREATE INDEX indicators_value ON indicators(value);

-- The append-only event log: who did what, when. Every change a handler makes goes here.
CREATE TABLE events (
  id       INTEGER PRIMARY KEY,
  at       INTEGER NOT NULL,
  actor    TEXT NOT NULL,     -- system:intake, a handler's name
  action   TEXT NOT NULL,     -- message.ingested, report.created, report.merged, incident.reclassified ...
  subject  TEXT NOT NULL,     -- report:12, incident:40, message:7
  detail   TEXT NOT NULL DEFAULT '{}' -- JSON
);
CREATE INDEX events_subject ON events(subject);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
