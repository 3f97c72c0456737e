-- 010: the incidents enrichment has not reached yet (enriched_version 0), indexed on their own:
-- a partial index, as in ../010_unenriched_incidents_index.sql.
CREATE INDEX incidents_unenriched ON incidents(id) WHERE enriched_version = 0;
