-- 005: directories and RDAP responses kept as loaded documents, and what enrichment found for
-- each incident (who can act on it).
CREATE TABLE data_documents (
  kind    TEXT NOT NULL,         -- contacts | csirts | rdap
  name    TEXT NOT NULL,         -- the file it came from
  content TEXT NOT NULL
);
CREATE INDEX data_documents_kind ON data_documents(kind);

ALTER TABLE incidents ADD COLUMN asn BIGINT;
ALTER TABLE incidents ADD COLUMN as_name TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN org TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN org_kind TEXT NOT NULL DEFAULT '';   -- isp|company|school|overseas|other
ALTER TABLE incidents ADD COLUMN route TEXT NOT NULL DEFAULT '';      -- JSON: {to:[...], reason}
ALTER TABLE incidents ADD COLUMN enriched_version BIGINT NOT NULL DEFAULT 0; -- data version used
