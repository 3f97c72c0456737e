-- 016: jobs claimed by a worker (store/jobs.h): a send or a site check one worker took, until its
-- lease ends. Several workers on one PostgreSQL database share the work through these rows; on
-- SQLite one worker runs at a time and the table stays empty.
CREATE TABLE job_claims (
  kind   TEXT NOT NULL,      -- send, check
  item   INTEGER NOT NULL,   -- the notice or the site
  worker TEXT NOT NULL,      -- host:pid of the worker holding it
  until  INTEGER NOT NULL,   -- the lease's end (Unix seconds): afterwards any worker may take it
  PRIMARY KEY (kind, item)
);
