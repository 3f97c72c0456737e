-- 016: jobs claimed by a worker (../016_job_claims.sql).
CREATE TABLE job_claims (
  kind   TEXT NOT NULL,
  item   BIGINT NOT NULL,
  worker TEXT NOT NULL,
  until  BIGINT NOT NULL,
  PRIMARY KEY (kind, item)
);
