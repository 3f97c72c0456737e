-- 010: the incidents enrichment has not reached yet (enriched_version 0), indexed on their own.
-- After each ingest, enrichment looks for them; without an index that was a scan of every
-- incident ever stored. Intake now stores most incidents enriched, so the partial index holds
-- only those waiting (for DNS, live RDAP, or a pipe's message) and costs intake nothing else.
CREATE INDEX incidents_unenriched ON incidents(id) WHERE enriched_version = 0;
