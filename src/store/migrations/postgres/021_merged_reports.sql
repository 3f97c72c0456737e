-- 021: merged reports (../021_merged_reports.sql).
ALTER TABLE reports ADD COLUMN merged_into BIGINT REFERENCES reports(id);
