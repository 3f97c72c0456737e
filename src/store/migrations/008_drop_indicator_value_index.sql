-- 008: no index on indicators(value). Nothing looks indicators up by value (incidents, sites and
-- reports have their own indexes for the look-ups intake and coordination make), and the index
-- on long, random text cost about 5% of intake time (docs/perf.md). A search over indicators
-- gets the index it needs when it exists.
DROP INDEX IF EXISTS indicators_value;
