-- 009: no separate index on incidents(report). The UNIQUE(report, ip) and UNIQUE(report, host)
-- constraints already index incidents by report first, so every look-up by report uses them,
-- and each new incident no longer pays for a third index.
DROP INDEX IF EXISTS incidents_report;
