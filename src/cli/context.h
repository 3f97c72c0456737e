// What every subcommand shares: the global options, the context made from them (configuration,
// clock, language), error reporting with the documented exit codes, and opening the store.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "cli/config.h"
#include "core/result.h"
#include "core/time.h"
#include "enrich/enricher.h"
#include "store/store.h"

namespace kz::cli {

constexpr int kExitOk = 0;
constexpr int kExitUser = 1;
constexpr int kExitTempFail = 75;

struct Common {
  std::string db;
  std::string config_path;
  bool json = false;
  std::string now;
  std::string lang;
};

struct Context {
  Config cfg;
  std::unique_ptr<Clock> clock;
  TimeZone zone;
  std::string lang;
  bool json = false;
};

// Prints "kizuna: <error>" and returns the exit code (75 when unavailable, else 1).
int report_error(const Error& e);

// Loads configuration and clock; nullopt after printing the error.
std::optional<Context> make_context(const Common& c, int& exit_code);

// Opens the store, creating the database's directory when needed.
Result<std::unique_ptr<store::Store>> open_store(const Context& ctx);

// Enriches incidents (new ones, or all) with the loaded data and, when configured, DNS and RDAP.
// `loaded`: the data when the caller has it already (else it is loaded from the store).
Result<enrich::EnrichSummary> enrich_store(
    const Context& ctx, store::Store& store, bool all,
    std::shared_ptr<const enrich::NetworkData> loaded = nullptr);

// Enrichment of each new incident as intake stores it, from `data` (no network): most incidents
// then need no second write; those that need DNS or live RDAP are left to enrich_store.
triage::IngestOptions::Enrich enrich_at_ingest(const Context& ctx,
                                               std::shared_ptr<const enrich::NetworkData> data);

// `sites`, `site`, `notify`, `worker`, `responders` (issue 4): src/cli/coord_commands.cpp.
void add_coord_commands(CLI::App& app, Common& common, int& exit_code);

}  // namespace kz::cli
