-- 015: documents keep the order they were loaded in through a column of their own (seq), not the
-- table's hidden row number, so that every back end reads them in the same order.
ALTER TABLE data_documents ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
-- SQLite then numbers the rows already there by rowid. PostgreSQL has no rowid (ctid is not
-- insertion order), and no PostgreSQL database held documents before this step: the PostgreSQL
-- back end postdates schema version 15, so every PostgreSQL database runs 001 to 015 on first
-- open, with data_documents empty. Nothing to number.
