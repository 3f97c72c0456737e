-- 004: network data loaded by `kizuna data load` (issue 3): who holds an address.
-- Each kind is replaced whole by a load; data_sets says what is loaded, from where, when.
CREATE TABLE data_sets (
  kind      TEXT PRIMARY KEY,     -- pfx2as | delegated | as2org
  source    TEXT NOT NULL,        -- the file loaded
  loaded_at BIGINT NOT NULL,
  entries   BIGINT NOT NULL,
  problems  BIGINT NOT NULL,      -- lines that could not be read
  version   BIGINT NOT NULL       -- increases with every load of any kind: snapshots compare it
);

-- CAIDA prefix2as: prefix -> origin ASes (space-separated, first = primary).
CREATE TABLE net_origins (
  prefix  TEXT NOT NULL,
  origins TEXT NOT NULL
);

-- RIR delegated-extended: prefix -> registry and country.
CREATE TABLE net_delegations (
  prefix   TEXT NOT NULL,
  registry TEXT NOT NULL,
  country  TEXT NOT NULL,
  status   TEXT NOT NULL
);

-- AS -> name and country (CAIDA as2org or asn|name|country). The AS number is always given:
-- a plain BIGINT key, not an identity.
CREATE TABLE as_names (
  asn     BIGINT PRIMARY KEY,
  name    TEXT NOT NULL,
  country TEXT NOT NULL
);
