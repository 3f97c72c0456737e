-- 008: no index on indicators(value). Nothing looks indicators up by value, and the index on
-- long, random text cost intake time (docs/perf.md). 001 created it here too, so the same step.
DROP INDEX IF EXISTS indicators_value;
