-- 013: Entries of a shipped directory (the starter CSIRT list) a handler confirmed
-- (`kizuna directory verify NAME`): only these are ever mailed.
-- (SQLite's WITHOUT ROWID has no PostgreSQL counterpart: a plain table with its primary key.)
CREATE TABLE directory_verified (
  name        TEXT PRIMARY KEY,
  verified_by TEXT NOT NULL,
  verified_at BIGINT NOT NULL
);
