-- 015: documents keep the order they were loaded in through a column of their own (seq), not the
-- table's hidden row number, so that every back end reads them in the same order.
ALTER TABLE data_documents ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE data_documents SET seq = rowid;
