// Enrichment as the use cases run it: the pass over stored incidents (loaded data, then live
// RDAP and DNS when configured) and the enrichment of each new incident as intake stores it.
// Not thread-safe (one store connection).
#pragma once

#include <memory>

#include "app/config.h"
#include "core/time.h"
#include "enrich/enricher.h"
#include "store/database.h"
#include "triage/ingest.h"

namespace kz::app {

// Enriches incidents (new ones, or all) with the loaded data and, when configured, DNS and RDAP.
// `loaded`: the data when the caller has it already (else it is loaded from the store). Errors:
// the store's, and a resolver that cannot start (kInvalidArgument).
Result<enrich::EnrichSummary> enrich_store(
    const Config& cfg, const Clock& clock, store::Database& store, bool all,
    std::shared_ptr<const enrich::NetworkData> loaded = nullptr);

// Enrichment of each new incident as intake stores it, from `data` (no network): most incidents
// then need no second write; those that need DNS or live RDAP are left to enrich_store. `cfg`
// must outlive the function returned.
triage::IngestOptions::Enrich enrich_at_ingest(const Config& cfg,
                                               std::shared_ptr<const enrich::NetworkData> data);

}  // namespace kz::app
