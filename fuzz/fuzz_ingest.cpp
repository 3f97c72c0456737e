// Fuzzes the whole intake path as `kizuna ingest --stdin` runs it (app::ingest): content address,
// MIME or JSON parsing, triage, reply and bounce detection against a real store, merging into
// reports and the quarantine of what cannot be read. One SQLite store for the whole run, in a
// temporary folder; the input arrives as one message from a pipe, as from an MTA.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include "app/config.h"
#include "app/ingest.h"
#include "core/time.h"
#include "store/database.h"

namespace {

struct World {
  kz::app::Config cfg;
  kz::FixedClock clock{kz::Time{std::chrono::seconds{1208221200}}};
  std::unique_ptr<kz::store::Database> store;

  World() {
    const auto dir =
        std::filesystem::temp_directory_path() / ("kz_fuzz_ingest_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    cfg.db = (dir / "fuzz.db").string();
    cfg.intake.batch_size = 1;
    auto s = kz::store::open_sqlite_store(cfg.db);
    if (!s) std::abort();
    store = std::move(*s);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  kz::app::IngestInput input;
  input.message = &in;
  input.enrich = false;
  auto r = kz::app::ingest(*world.store, world.cfg, world.clock, input);
  // The store is local and healthy: every input is stored or quarantined, never an error.
  if (!r) std::abort();
  if (r->fresh + r->duplicate + r->quarantined != 1) std::abort();
  return 0;
}
