-- 017: the people and tools who use the server (store/users.h). A user has one role; a token
-- belongs to a user and is stored as its SHA-256 only, so the table never holds a usable secret.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL,            -- admin | handler | analyst
  password_hash TEXT NOT NULL DEFAULT '', -- argon2id (libsodium's string form); '' none set
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);
CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  label       TEXT NOT NULL DEFAULT '',
  token_hash  TEXT NOT NULL UNIQUE,      -- hex SHA-256 of the token
  scopes      TEXT NOT NULL,             -- space-separated: read write messages:submit sensor:<id>
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER,                   -- NULL: never
  revoked_at  INTEGER,
  last_used_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
