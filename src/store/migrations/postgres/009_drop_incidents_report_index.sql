-- 009: no separate index on incidents(report). The UNIQUE(report, ip) and UNIQUE(report, host)
-- constraints already index incidents by report first. 001 created it here too, so the same step.
DROP INDEX IF EXISTS incidents_report;
