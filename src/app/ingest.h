// The ingest use case: everything `kizuna ingest` and `kizuna submit` do, for the command line,
// the coming HTTP server and the fuzz target over the whole intake path (fuzz/fuzz_ingest.cpp).
//
// It assembles what an ingest needs: replies to the centre's own mails filed by coordination,
// each new incident enriched from the loaded network data as it is stored, the parsing pipeline
// (triage/ingest_run.h), crash marks so that a message that kills the process is set aside on
// the next run (triage/crash_marks.h), and, after the paths, the enrichment pass over what was
// stored. Every message is stored or quarantined with its reason; a message that fails never
// takes the others with it.
//
// Not thread-safe: one call at a time per store (it starts and joins its own threads).
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "core/result.h"
#include "core/time.h"
#include "intake/message.h"
#include "store/database.h"
#include "triage/assess.h"

namespace kz::app {

struct IngestInput {
  std::vector<std::string> paths;   // files, folders, mboxes, Maildirs (intake::walk_inputs)
  std::istream* message = nullptr;  // one message from a pipe, read before the paths
  std::string message_source = "stdin";
  // Where the crash marks live (normally beside the database); empty: no marks.
  std::string marks_dir;
  // Where the part of a very large message that is not held in memory waits until it is stored
  // (normally the database's folder: the same disk it is written to); empty: $TMPDIR or /tmp.
  std::string spill_dir;
  // After ingesting paths, enrich what was stored (loaded data, live RDAP and DNS when
  // configured). One message from a pipe is never enriched here: building the look-up snapshot
  // of an Internet-sized table takes seconds, so it waits for the next `kizuna enrich`.
  bool enrich = true;
};

// One item set aside or not read, in input order.
struct IngestProblem {
  std::string source;
  store::Id message = 0;  // 0 when nothing was stored (a path not read)
  std::string status;     // quarantined | partial | unreadable | skipped
  std::string reason;
};

struct IngestSummary {
  int64_t fresh = 0, duplicate = 0, quarantined = 0, partial = 0;
  int64_t reports = 0, merged = 0, non_incident = 0;
  int unreadable = 0;  // named inputs that could not be read: the user's to fix
  std::vector<IngestProblem> problems;
};

struct IngestHooks {
  // After each item, with its size: a progress display.
  std::function<void(uint64_t bytes, int64_t items)> progress;
  // A second connection to the same store for the parsing threads to ask whether an item is
  // stored already (re-ingesting a mailbox). Unset: they do not ask.
  std::function<Result<std::unique_ptr<store::Database>>()> open_reader;
};

// Ingests `input` into `store`. Errors: the store unavailable or failing (kUnavailable: retry
// later; earlier batches stay committed), the crash marks folder unusable (kIo), the network
// data unreadable. Unreadable inputs are counted in the summary, not errors.
Result<IngestSummary> ingest(store::Database& store, const Config& cfg, const Clock& clock,
                             const IngestInput& input, const IngestHooks& hooks = {});

// `kizuna quarantine retry`: runs the stored raw bytes of quarantined messages through the
// current code (after a fix), each in a transaction of its own: the quarantined row is replaced
// by what the bytes make now (a report, a partial message, or a quarantine with today's
// reason), and a message.retried event links the two numbers. A message that stopped an earlier
// run is read all the same, alone and marked; if it stops this run too, it stays quarantined.
// Errors: kNotFound for a number that is not a quarantined message (nothing is changed), the
// store's.
struct RetryOutcome {
  store::Id was = 0;    // the quarantined message
  store::Id now = 0;    // the message its bytes made
  std::string status;   // new | quarantined | duplicate
  std::string problem;  // why quarantined again, or what was only partly read
};
Result<std::vector<RetryOutcome>> retry_quarantined(store::Database& store, const Config& cfg,
                                                    const Clock& clock,
                                                    const std::vector<store::Id>& ids,
                                                    const std::string& marks_dir);

// What triage makes of one file, without storing anything (`kizuna triage FILE`).
struct DryRun {
  intake::ParsedMessage message;
  triage::Assessment assessment;
};
// kInvalidArgument: a folder, or bytes that are neither mail nor a JSON report; kIo: unreadable.
Result<DryRun> triage_file(const std::string& path, const Config& cfg);

}  // namespace kz::app
